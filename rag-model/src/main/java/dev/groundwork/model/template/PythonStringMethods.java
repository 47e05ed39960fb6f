package dev.groundwork.model.template;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's {@code str} methods for templates ({@code content.startswith('<think>')},
 * {@code content.split('</think>')[-1].lstrip('\n')}). Jinjava would otherwise look for Java methods of those names,
 * find none and render nothing, silently. Only method calls on strings are resolved here; everything else falls
 * through to Jinjava's own resolvers.
 */
final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), args);
        if (result != NOT_A_METHOD) {
            context.setPropertyResolved(true);
            return result;
        }
        return null;
    }

    private static final Object NOT_A_METHOD = new Object();

    private static Object call(String s, String name, Object[] args) {
        return switch (name) {
            case "startswith" -> anyMatch(args, prefix -> s.startsWith(prefix));
            case "endswith" -> anyMatch(args, suffix -> s.endsWith(suffix));
            case "strip" -> rstrip(lstrip(s, chars(args)), chars(args));
            case "lstrip" -> lstrip(s, chars(args));
            case "rstrip" -> rstrip(s, chars(args));
            case "split" -> split(s, args);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "replace" -> s.replace(str(args, 0), str(args, 1));
            case "find" -> s.indexOf(str(args, 0));
            case "count" -> count(s, str(args, 0));
            default -> NOT_A_METHOD;
        };
    }

    private interface Test {
        boolean test(String value);
    }

    /** Python accepts a string or a tuple of strings. */
    private static boolean anyMatch(Object[] args, Test test) {
        if (args.length == 0 || args[0] == null) {
            throw new IllegalArgumentException("startswith/endswith need an argument");
        }
        if (args[0] instanceof Collection<?> options) {
            for (Object option : options) {
                if (test.test(String.valueOf(option))) {
                    return true;
                }
            }
            return false;
        }
        return test.test(args[0].toString());
    }

    /** {@code null} means whitespace, as in Python. */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : args[0].toString();
    }

    private static String str(Object[] args, int i) {
        if (args.length <= i || args[i] == null) {
            throw new IllegalArgumentException("missing argument " + (i + 1));
        }
        return args[i].toString();
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && strippable(s.charAt(start), chars)) {
            start++;
        }
        return s.substring(start);
    }

    private static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && strippable(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(0, end);
    }

    private static List<String> split(String s, Object[] args) {
        String sep = args.length == 0 || args[0] == null ? null : args[0].toString();
        int maxSplit = args.length > 1 && args[1] instanceof Number n ? n.intValue() : -1;
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            // Python: runs of whitespace, no empty strings at the ends.
            for (String part : s.strip().split("\\s+", maxSplit < 0 ? 0 : maxSplit + 1)) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // read-only: nothing to set
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
