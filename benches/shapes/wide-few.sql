-- benches/shapes/wide-few.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script; the as-of date is 2026-11-23.
-- Output: id, score, stage.
COPY (
SELECT id, score,
  CASE WHEN score >= 40 THEN 'hot' WHEN score >= 20 THEN 'warm' ELSE 'cold' END AS stage
FROM (
  SELECT id,
    CASE WHEN lower(trim(title)) IN ('ceo', 'cto', 'founder', 'owner', 'vp sales') THEN 20 ELSE 0 END
    + CASE WHEN lower(trim(country)) IN ('germany', 'france', 'netherlands') THEN 10 ELSE 0 END
    + CASE WHEN employees BETWEEN 50 AND 1000 THEN 15 ELSE 0 END
    + CASE WHEN visits >= 20 THEN 10 ELSE 0 END
    + CASE WHEN DATE '2026-11-23' - signed_up < 180 THEN 5 ELSE 0 END AS score
  FROM read_csv('@DATA@', header = true)
)
) TO '@OUT@' (HEADER);
