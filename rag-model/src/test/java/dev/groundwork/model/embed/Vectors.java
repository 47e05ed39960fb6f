package dev.groundwork.model.embed;

/** Vector arithmetic for assertions. */
final class Vectors {

    private Vectors() {
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double norm(float[] a) {
        double squares = 0;
        for (float v : a) {
            squares += (double) v * v;
        }
        return Math.sqrt(squares);
    }
}
