-- benches/shapes/arithmetic-heavy.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script. Division by zero is missing
-- (NULLIF); min and max of a missing value are missing (DuckDB's least and
-- greatest skip NULLs, so each optional case is spelt out); round halves
-- away from zero, as DuckDB's round does. Output: id, score, stage.
COPY (
WITH s AS (
  SELECT id,
    CASE WHEN revenue / NULLIF(employees, 0) > 500 THEN 10 ELSE 0 END
    + CASE WHEN budget / NULLIF(revenue, 0) * 100 >= 10 THEN 10 ELSE 0 END
    + CASE WHEN calls + emails_sent >= 20 THEN 5 ELSE 0 END
    + CASE WHEN calls * 2 > emails_sent THEN 5 ELSE 0 END
    + CASE WHEN budget IS NULL THEN 0 ELSE greatest(least(round(budget / 1000), 25), -25) END
    + least(2 * floor(visits / 5), 16)
    + CASE WHEN budget IS NOT NULL AND revenue IS NOT NULL
             AND greatest(budget, revenue / 10) >= 100000 THEN 8 ELSE 0 END
    + CASE WHEN least(calls, visits) < 2 THEN -4 ELSE 0 END
    + greatest(-coalesce(discount, 0), -15)
    + CASE WHEN 1000 * (1 - coalesce(discount, 0) / 100) > 700 THEN 6 ELSE 0 END
    + CASE WHEN (visits * 3 + calls * 5 - coalesce(emails_sent, 0)) / 10 >= 12 THEN 7 ELSE 0 END
    + CASE WHEN coalesce(employees, 0) < 10 THEN -6 ELSE 0 END AS score
  FROM read_csv('@DATA@', header = true)
)
SELECT id, score,
  CASE WHEN score >= 40 THEN 'priority' WHEN score >= 15 THEN 'standard' ELSE 'low' END AS stage
FROM s
) TO '@OUT@' (HEADER);
