#!/usr/bin/env python3
"""Merge the answers of several AI experts: structured consensus over their
recommendations, text consensus over what they wrote, and a fuzzy lookup of a
half-remembered recommendation.  Runs on whichever backend hotpath loads.

    PYTHONPATH=bindings-python python3 examples/python/expert_consensus.py
"""

import hotpath
from hotpath import consensus, text

ANSWERS = [
    {"expert_type": "architect", "confidence": 0.82,
     "content": "Put a write-through cache in front of the orders database and shard the "
                "orders table by customer. The cache removes most repeated reads.",
     "recommendations": ["Add a write-through cache", "Shard the orders table"],
     "limitations": ["Cache invalidation needs care"]},
    {"expert_type": "performance", "confidence": 0.9,
     "content": "A write-through cache in front of the orders database removes most repeated "
                "reads; shard the orders table by customer when it grows.",
     "recommendations": ["add a write-through cache", "Profile the slow queries"],
     "limitations": []},
    {"expert_type": "security", "confidence": 0.55,
     "content": "Encrypt the customer columns first; performance work can wait until the "
                "audit is done.",
     "recommendations": ["Encrypt customer columns", "Profile the slow queries"],
     "limitations": ["Audit scope unknown"]},
]


def main():
    print("hotpath %s on the %s backend" % (hotpath.__version__,
                                             hotpath.backend_info()["backend"]))
    structured = consensus.analyze_consensus(ANSWERS)
    print("structured consensus: %.3f (%s); key points: %s"
          % (structured["consensus_score"], structured["agreement_level"],
             "; ".join(structured["key_points"])))

    merged = consensus.text_consensus(ANSWERS, metric="cosine", threshold=0.5)
    primary = merged["clusters"][merged["primary_cluster"]]
    print("text consensus: %d of %d answers agree, confidence %.3f"
          % (len(primary), len(ANSWERS), merged["confidence_score"]))
    print("contributing experts: %s" % ", ".join(merged["contributing_experts"]))
    for opinion in merged["dissenting_opinions"]:
        print("dissent (%s): %s" % (opinion["expert_type"],
                                    text.summarize(opinion["content"], max_chars=60)))

    recommendations = [r for a in ANSWERS for r in a["recommendations"]]
    best = text.extract("write thru cache", recommendations, "levenshtein_normalized",
                        limit=1, case_fold=True)[0]
    print("closest recommendation to 'write thru cache': %r (similarity %.2f)"
          % (best[0], best[1]))


if __name__ == "__main__":
    main()
