package dev.groundwork.model.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Internal: public only because Jinjava calls these by reflection. The global functions Hugging Face's {@code apply_chat_template} gives templates. Jinjava calls static methods;
 * per-render state (the clock) comes from the rendering context.
 */
public final class JinjaFunctions {

    /** Context variable holding the {@link Clock} of the render, for {@code strftime_now}. */
    static final String CLOCK_VARIABLE = "__groundwork_clock";

    private JinjaFunctions() {
    }

    /** {@code raise_exception(message)}: the template refuses the conversation. */
    public static Object raiseException(Object message) {
        throw new RaisedByTemplate(String.valueOf(message));
    }

    /** {@code strftime_now(format)}: the current date and time formatted with Python's strftime codes. */
    public static String strftimeNow(String format) {
        Clock clock = Clock.systemDefaultZone();
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (interpreter != null && interpreter.getContext().get(CLOCK_VARIABLE) instanceof Clock c) {
            clock = c;
        }
        return StrftimeFormatter.format(ZonedDateTime.now(clock), format, Locale.ENGLISH);
    }

    /** Thrown by {@code raise_exception}; {@link ChatTemplate} turns it into a {@link TemplateException}. */
    static final class RaisedByTemplate extends RuntimeException {
        RaisedByTemplate(String message) {
            super(message);
        }
    }
}
