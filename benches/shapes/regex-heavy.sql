-- benches/shapes/regex-heavy.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script. Patterns are case-insensitive
-- and match anywhere, as in the definition. Output: id, score, stage,
-- disqualified (the reason).
COPY (
WITH s AS (
  SELECT id,
    CASE WHEN regexp_matches(email, '(?i)@rival\.') THEN 'competitor' END AS disqualified,
    CASE WHEN regexp_matches(title, '(?i)^\s*(ceo|cto|founder|owner)\s*$') THEN 20 ELSE 0 END
    + CASE WHEN regexp_matches(title, '(?i)\b(vp|head|director)\b') THEN 10 ELSE 0 END
    + CASE WHEN regexp_matches(title, '(?i)student|intern') THEN -10 ELSE 0 END
    + CASE WHEN regexp_matches(email, '(?i)\.edu$') THEN -5 ELSE 0 END
    + CASE WHEN regexp_matches(email, '(?i)^[a-z]+\.[a-z]+[0-9]{3,}@') THEN 2 ELSE 0 END
    + CASE WHEN regexp_matches(notes, '(?i)\bdemo\b') THEN 15 ELSE 0 END
    + CASE WHEN regexp_matches(notes, '(?i)pric(e|ing)|budget') THEN 10 ELSE 0 END
    + CASE WHEN regexp_matches(notes, '(?i)do not contact|voicemail') THEN -10 ELSE 0 END
    + CASE WHEN regexp_matches(phone, '(?i)^\+49 ') THEN 5 ELSE 0 END
    + CASE WHEN regexp_matches(website, '(?i)\.de$') THEN 5 ELSE 0 END
    + CASE WHEN regexp_matches(company, '(?i)(gmbh|ltd)$') THEN 3 ELSE 0 END AS score
  FROM read_csv('@DATA@', header = true)
)
SELECT id, score,
  CASE WHEN disqualified IS NOT NULL THEN 'disqualified'
       WHEN score >= 30 THEN 'sales ready' ELSE 'nurture' END AS stage,
  disqualified
FROM s
) TO '@OUT@' (HEADER);
