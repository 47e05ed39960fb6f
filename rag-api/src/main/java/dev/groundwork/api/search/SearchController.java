package dev.groundwork.api.search;

import dev.groundwork.api.QueryRules;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/search?q=...&collection=...&k=10}: the raw retrieval results, best first, with the rank each
 * had in the BM25 and vector lists, to inspect what the answerer is given. Without {@code collection} every
 * collection is searched; an unknown one is a 404 problem.
 */
@RestController
@RequestMapping("/api/search")
public class SearchController {

    static final int DEFAULT_K = 10;

    private final Retriever retriever;
    private final QueryRules rules;

    public SearchController(Retriever retriever, QueryRules rules) {
        this.retriever = retriever;
        this.rules = rules;
    }

    @GetMapping
    public List<SearchHit> search(@RequestParam("q") String q,
            @RequestParam(name = "collection", required = false) String collection,
            @RequestParam(name = "k", required = false) Integer k) {
        String text = rules.question("q", q);
        int count = rules.count("k", k, Math.min(DEFAULT_K, rules.maxCount()));
        String target = rules.collection(collection);
        List<ScoredChunk> results = retriever.retrieve(new RetrievalQuery(text, target, count));
        List<SearchHit> hits = new ArrayList<>(results.size());
        for (ScoredChunk result : results) {
            hits.add(SearchHit.of(hits.size() + 1, result));
        }
        return hits;
    }
}
