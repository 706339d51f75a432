-- benches/shapes/unique-text.lead written by hand as DuckDB SQL (benches/shapes.sh).
-- @DATA@ and @OUT@ are replaced by the script. Output: id, score, stage,
-- disqualified (the reason).
COPY (
WITH t AS (
  SELECT id, lower(trim(email)) AS email, lower(trim(notes)) AS notes,
    lower(trim(website)) AS website, lower(trim(company)) AS company, lower(trim(title)) AS title
  FROM read_csv('@DATA@', header = true)
), s AS (
  SELECT id,
    CASE WHEN ends_with(email, '@rival.example') THEN 'competitor'
         WHEN contains(notes, 'do not contact') THEN 'opted out' END AS disqualified,
    CASE WHEN ends_with(email, '.edu') THEN -10 ELSE 0 END
    + CASE WHEN ends_with(email, '@gmail.com') OR ends_with(email, '@yahoo.com') THEN -5 ELSE 0 END
    + CASE WHEN ends_with(email, '.example') THEN 10 ELSE 0 END
    + CASE WHEN contains(notes, 'demo') THEN 20 ELSE 0 END
    + CASE WHEN contains(notes, 'pricing') THEN 10 ELSE 0 END
    + CASE WHEN starts_with(website, 'https://') THEN 3 ELSE 0 END
    + CASE WHEN ends_with(company, 'gmbh') THEN 5 ELSE 0 END
    + CASE WHEN starts_with(company, 'dental') THEN 8 ELSE 0 END
    + CASE WHEN title IN ('ceo', 'cto', 'founder', 'owner') THEN 15 ELSE 0 END AS score
  FROM t
)
SELECT id, score,
  CASE WHEN disqualified IS NOT NULL THEN 'disqualified'
       WHEN score >= 30 THEN 'sales ready' ELSE 'nurture' END AS stage,
  disqualified
FROM s
) TO '@OUT@' (HEADER);
