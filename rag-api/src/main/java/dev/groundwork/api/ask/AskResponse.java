package dev.groundwork.api.ask;

import java.util.List;

/**
 * Reply of {@code POST /api/ask}.
 *
 * @param answer the answer with {@code [n]} markers
 * @param answerer which answerer wrote it: {@code extractive} or {@code llm:<modelId>}
 * @param citations what the markers point to, ids 1..m
 * @param danglingMarkers markers the answerer wrote that pointed to no passage; they were removed from the answer
 * @param context how the passages fitted the model's prompt; {@code null} for the extractive answerer
 * @param timings where the time went
 */
public record AskResponse(String answer, String answerer, List<Citation> citations, int danglingMarkers,
        AnswerContext context, Timings timings) {

    public AskResponse {
        citations = List.copyOf(citations);
    }

    /**
     * Milliseconds spent, measured on the server.
     *
     * @param retrieveMs retrieving passages
     * @param answerMs writing the answer
     * @param totalMs the whole request, validation included
     */
    public record Timings(double retrieveMs, double answerMs, double totalMs) {
    }
}
