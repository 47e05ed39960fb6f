#!/usr/bin/env bash
# Compiles the decode kernels into OUT_DIR/native/linux-x86_64/libgroundwork-kernels.so (run by Maven's compile
# phase). Without a C compiler, or on another platform, it builds nothing and says so: the model then decodes on
# DJL's engine (slower, same results), see NativeKernels.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
java_home=${2:-${JAVA_HOME:-}}
cc=${CC:-gcc}
if [[ $(uname -s)-$(uname -m) != Linux-x86_64 ]]; then
    echo "build.sh: native decode kernels are built for Linux x86-64 only; this is $(uname -s)-$(uname -m)" >&2
    exit 0
fi
if ! command -v "$cc" >/dev/null; then
    echo "build.sh: WARNING: no C compiler ($cc): the native decode kernels are not built, decoding falls back to DJL" >&2
    exit 0
fi
if [[ ! -f $java_home/include/jni.h ]]; then
    echo "build.sh: WARNING: no jni.h under $java_home/include: the native decode kernels are not built" >&2
    exit 0
fi
mkdir -p "$out/native/linux-x86_64"
# -fopenmp-simd: only the `omp simd` loop hints (no OpenMP runtime, which would compete with libtorch's)
"$cc" -O3 -std=gnu11 -fPIC -shared -fopenmp-simd -fvisibility=hidden -Wall -Wextra \
    -I"$java_home/include" -I"$java_home/include/linux" \
    "$src/pool.c" "$src/kernels.c" "$src/rows.c" "$src/gemm_amx.c" "$src/gemm_fma.c" "$src/attention_amx.c" "$src/attention_fma.c" "$src/jni.c" -o "$out/native/linux-x86_64/libgroundwork-kernels.so" -lpthread -lm
