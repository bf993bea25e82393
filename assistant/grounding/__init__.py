"""What ties an answer to its evidence: the per-answer citation registry (`citations`), the
Findings computed from the tool results (`findings`, over the compact market view of
`marketview`), figure verification against the cited passage (`verification`, `figures`),
numbering in reading order (`renumber`), and the coverage check of asked against measured
(`coverage`)."""
