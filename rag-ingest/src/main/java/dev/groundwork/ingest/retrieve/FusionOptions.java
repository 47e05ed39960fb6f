package dev.groundwork.ingest.retrieve;

/**
 * Settings of reciprocal rank fusion: score(d) = Σ weight_i / (rrfK + rank_i(d)).
 *
 * @param rrfK the RRF constant (60 in Cormack et al. 2009)
 * @param bm25Weight weight of the BM25 list
 * @param vectorWeight weight of the vector list
 * @param candidates how many results to take from each list before fusing (at least k)
 */
public record FusionOptions(int rrfK, double bm25Weight, double vectorWeight, int candidates) {

    public FusionOptions {
        if (rrfK < 0 || candidates < 1 || bm25Weight < 0 || vectorWeight < 0 || bm25Weight + vectorWeight == 0) {
            throw new IllegalArgumentException("bad fusion options: k=" + rrfK + ", weights " + bm25Weight + "/"
                    + vectorWeight + ", candidates " + candidates);
        }
    }

    public static FusionOptions defaults() {
        return new FusionOptions(60, 1.0, 1.0, 50);
    }
}
