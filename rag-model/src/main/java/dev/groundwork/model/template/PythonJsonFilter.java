package dev.groundwork.model.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The {@code tojson} filter as Hugging Face defines it for chat templates: Python's
 * {@code json.dumps(x, ensure_ascii=False, indent=indent, sort_keys=False)}. Jinjava's own {@code tojson} writes
 * compact JSON ({@code {"a":1}}), while models were trained on Python's spacing ({@code {"a": 1}}, and with
 * {@code indent=4} one member per line), so tool schemas in Qwen and Llama prompts would differ from Hugging Face's.
 *
 * <p>Maps keep their iteration order (pass a {@link java.util.LinkedHashMap} for a stable prompt); lists and arrays
 * become JSON arrays; numbers, booleans and null are written as Python writes them; anything else as its string.
 * Stateless and thread-safe.
 */
final class PythonJsonFilter implements AdvancedFilter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : (args.length > 0 ? args[0] : null);
        StringBuilder out = new StringBuilder();
        write(var, indent == null ? -1 : ((Number) indent).intValue(), 0, out);
        return out.toString();
    }

    /** {@code json.dumps} with {@code indent} spaces per level, or on one line when {@code indent < 0}. */
    static void write(Object value, int indent, int level, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(pythonFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n instanceof BigDecimal d ? d.toPlainString() : n.toString());
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                separate(first, indent, level + 1, out);
                first = false;
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), indent, level + 1, out);
            }
            close('}', indent, level, out);
        } else if (value instanceof Iterable<?> || value instanceof Object[]) {
            Iterable<?> items = value instanceof Object[] array ? java.util.Arrays.asList(array) : (Iterable<?>) value;
            if (!items.iterator().hasNext()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                separate(first, indent, level + 1, out);
                first = false;
                write(item, indent, level + 1, out);
            }
            close(']', indent, level, out);
        } else {
            string(value.toString(), out);
        }
    }

    /** Python's separators: {@code ", "} on one line, {@code ","} plus a newline when indenting. */
    private static void separate(boolean first, int indent, int level, StringBuilder out) {
        if (indent >= 0) {
            out.append(first ? "\n" : ",\n").append(" ".repeat(indent * level));
        } else if (!first) {
            out.append(", ");
        }
    }

    private static void close(char bracket, int indent, int level, StringBuilder out) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * level));
        }
        out.append(bracket);
    }

    /** ensure_ascii=False: only quotes, backslashes and control characters are escaped. */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's float repr: shortest digits, positional for exponents -4..15, else {@code 1e+16} style. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
