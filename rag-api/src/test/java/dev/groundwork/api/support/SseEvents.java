package dev.groundwork.api.support;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses a text/event-stream body into its events (name and JSON data), in order. */
public final class SseEvents {

    /** One event; {@code data} is the JSON of its (possibly multi-line) data field. */
    public record Event(String name, JsonNode data) {
    }

    private SseEvents() {
    }

    public static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.replace("\r\n", "\n").split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5));
                }
            }
            events.add(new Event(name, JsonMapper.shared().readTree(data.toString())));
        }
        return events;
    }

    public static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }
}
