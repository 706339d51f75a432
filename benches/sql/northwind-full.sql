-- rules/northwind-full.lead written by hand as DuckDB SQL, for benches/compare.sh.
-- @DATA@ and @OUT@ are replaced by the script; the as-of date is 2026-11-23.
-- Exact, not an approximation: text folded with lower(trim()), patterns
-- case-insensitive on the value as read, NULL (missing) never makes a
-- criterion hold, business days counted with the definition's formula and
-- holidays; compare.sh checks every output row against qualify's.
-- Output: the same columns as `qualify score` (id, score, sub-scores, stage,
-- disqualified, matched).
COPY (
WITH r AS (
  SELECT
    "Inquiry ID" AS id,
    CAST(left("Created", 10) AS DATE) AS created,
    lower(trim(source)) AS source,
    lower(trim("Campaign")) AS campaign,
    lower(trim(email)) AS email,
    job_title,
    lower(trim(job_title)) AS title,
    "Company" AS company,
    lower(trim("Company")) AS company_l,
    CAST(company_size AS DOUBLE) AS size,
    CAST("Annual Budget (USD)" AS DOUBLE) AS budget,
    lower(trim(timeline)) AS timeline,
    lower(trim(state)) AS state,
    lower(trim("City")) AS city,
    lower(trim(demo_requested)) IN ('yes', 'true', 'y', '1') AS demo,
    CAST(pages_viewed AS DOUBLE) AS pages,
    CAST(last_activity AS DATE) AS last_activity,
    CAST(handed_off AS DATE) AS handed_off,
    CAST(call_attempts AS DOUBLE) AS calls,
    CAST(email_attempts AS DOUBLE) AS emails,
    nullif(trim("Lead Owner"), '') AS owner,
    lower(trim("Product Interest")) AS product,
    "Notes" AS notes,
    lower(trim("Notes")) AS notes_l,
    DATE '2026-11-23' - CAST(last_activity AS DATE) AS quiet
  FROM read_csv('@DATA@', header = true, types = {'Created': 'VARCHAR'})
), p AS (
  SELECT *,
    -- fit
    CASE WHEN regexp_matches(job_title, '(?i)owner|dentist|director|chief|vp') THEN 20 ELSE 0 END AS p0,
    CASE WHEN regexp_matches(job_title, '(?i)hygienist|orthodontist|coordinator') THEN 8 ELSE 0 END AS p1,
    CASE WHEN contains(title, 'purchasing') THEN 10 ELSE 0 END AS p2,
    -- The literal is folded like the cell: `starts with "it "` means "it".
    CASE WHEN starts_with(title, 'it') THEN -5 ELSE 0 END AS p3,
    CASE WHEN size BETWEEN 5 AND 200 THEN 10 ELSE 0 END AS p4,
    CASE WHEN size > 200 THEN 5 ELSE 0 END AS p5,
    CASE WHEN size < 3 THEN -5 ELSE 0 END AS p6,
    CASE WHEN budget >= 10000 THEN 15 ELSE 0 END AS p7,
    CASE WHEN budget > 10000 THEN greatest(least((budget - 10000) / 10000, 5), -5) ELSE 0 END AS p8,
    CASE WHEN budget / nullif(size, 0) >= 2000 THEN 5 ELSE 0 END AS p9,
    CASE WHEN state IN ('oh', 'pa', 'mi', 'in') THEN 5 ELSE 0 END AS p10,
    CASE WHEN state IN ('ny', 'ky', 'wi', 'il') THEN 2 ELSE 0 END AS p11,
    CASE WHEN city IN ('columbus', 'pittsburgh', 'detroit', 'indianapolis') THEN 3 ELSE 0 END AS p12,
    CASE WHEN regexp_matches(company, '(?i)orthodontic|oral surgery') THEN 5 ELSE 0 END AS p13,
    CASE WHEN regexp_matches(company, '(?i)group|partners|llc') THEN 5 ELSE 0 END AS p14,
    -- interest
    CASE WHEN demo AND quiet IS NOT NULL THEN 25 * pow(0.5, greatest(quiet, 0) / 45.0) ELSE 0 END AS p15,
    CASE WHEN timeline IN ('now', 'this quarter') THEN 20 ELSE 0 END AS p16,
    CASE WHEN timeline = 'this year' THEN 5 ELSE 0 END AS p17,
    coalesce(greatest(least(2 * pages, 10), -10), 0) AS p18,
    CASE WHEN pages >= 12 THEN 5 ELSE 0 END AS p19,
    CASE WHEN product = 'cbct' THEN 10 ELSE 0 END AS p20,
    CASE WHEN product = 'software' THEN -5 ELSE 0 END AS p21,
    CASE WHEN source = 'inbound call' THEN 10 ELSE 0 END AS p22,
    CASE WHEN source = 'event' OR campaign = 'ada expo' THEN 5 ELSE 0 END AS p23,
    CASE WHEN contains(campaign, 'webinar') THEN 5 ELSE 0 END AS p24,
    CASE WHEN quiet <= 7 THEN 10 ELSE 0 END AS p25,
    CASE WHEN regexp_matches(notes, '(?i)financing|quote|budget approved') THEN 5 ELSE 0 END AS p26,
    -- outside groups
    CASE WHEN quiet > 30 THEN -15 ELSE 0 END AS p27,
    CASE WHEN quiet > 90 THEN -10 ELSE 0 END AS p28,
    CASE WHEN handed_off IS NOT NULL AND quiet > 14
         THEN coalesce(greatest(least(-(calls + emails), 8), -8), 0) ELSE 0 END AS p29,
    CASE WHEN DATE '2026-11-23' - created > 180 THEN -5 ELSE 0 END AS p30,
    -- business days in (handed_off, as of]: weekdays less the weekday holidays
    (5 * ((DATE '2026-11-23' - DATE '1970-01-01' + 3) // 7)
       + least((DATE '2026-11-23' - DATE '1970-01-01' + 3) % 7 + 1, 5))
    - (5 * ((handed_off - DATE '1970-01-01' + 3) // 7)
       + least((handed_off - DATE '1970-01-01' + 3) % 7 + 1, 5))
    - (CASE WHEN DATE '2026-11-26' > handed_off AND DATE '2026-11-26' <= DATE '2026-11-23' THEN 1 ELSE 0 END
       + CASE WHEN DATE '2026-11-27' > handed_off AND DATE '2026-11-27' <= DATE '2026-11-23' THEN 1 ELSE 0 END
       + CASE WHEN DATE '2026-12-24' > handed_off AND DATE '2026-12-24' <= DATE '2026-11-23' THEN 1 ELSE 0 END
       + CASE WHEN DATE '2026-12-25' > handed_off AND DATE '2026-12-25' <= DATE '2026-11-23' THEN 1 ELSE 0 END
       + CASE WHEN DATE '2027-01-01' > handed_off AND DATE '2027-01-01' <= DATE '2026-11-23' THEN 1 ELSE 0 END)
      AS handoff_business_days
  FROM r
), s AS (
  SELECT *,
    least(p0 + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9 + p10 + p11 + p12 + p13 + p14, 50) AS fit,
    least(p15 + p16 + p17 + p18 + p19 + p20 + p21 + p22 + p23 + p24 + p25 + p26, 60) AS interest,
    ((p7 <> 0)::int + (p0 <> 0)::int + (p15 <> 0)::int + (p16 <> 0)::int) >= 3 AS bant,
    CASE WHEN ends_with(email, '@rivalimaging.com') OR contains(company_l, 'rival imaging') THEN 'competitor'
         WHEN contains(title, 'student') THEN 'student'
         WHEN ends_with(email, '@northwind-imaging.com') THEN 'internal test'
         WHEN contains(notes_l, 'existing customer') THEN 'already a customer'
    END AS disqualified
  FROM p
), t AS (
  SELECT *, fit + interest + p27 + p28 + p29 + p30 AS score FROM s
)
SELECT id, score, fit, interest,
  CASE WHEN disqualified IS NOT NULL THEN 'disqualified'
       WHEN handed_off IS NOT NULL AND calls >= 4 AND emails >= 2 AND handoff_business_days >= 10
         THEN 'return to marketing'
       WHEN bant AND fit >= 30 AND interest >= 30 AND owner IS NULL THEN 'sales ready, unassigned'
       WHEN bant AND fit >= 30 AND interest >= 30 THEN 'sales ready'
       WHEN score >= 45 OR (fit >= 30 AND interest >= 15) THEN 'marketing qualified'
       WHEN interest >= 30 THEN 'inside sales'
       ELSE 'nurture' END AS stage,
  disqualified,
  concat_ws('; ',
    CASE WHEN p0 <> 0 THEN 'decision maker' END,
    CASE WHEN p1 <> 0 THEN 'clinical champion' END,
    CASE WHEN p2 <> 0 THEN 'purchasing' END,
    CASE WHEN p3 <> 0 THEN 'IT contact' END,
    CASE WHEN p4 <> 0 THEN 'right size' END,
    CASE WHEN p5 <> 0 THEN 'large group' END,
    CASE WHEN p6 <> 0 THEN 'solo practice' END,
    CASE WHEN p7 <> 0 THEN 'has budget' END,
    CASE WHEN p8 <> 0 THEN 'budget depth' END,
    CASE WHEN p9 <> 0 THEN 'budget per chair' END,
    CASE WHEN p10 <> 0 THEN 'close by' END,
    CASE WHEN p11 <> 0 THEN 'neighbouring state' END,
    CASE WHEN p12 <> 0 THEN 'near a showroom' END,
    CASE WHEN p13 <> 0 THEN 'specialist practice' END,
    CASE WHEN p14 <> 0 THEN 'group practice' END,
    CASE WHEN p15 <> 0 THEN 'asked for a demo' END,
    CASE WHEN p16 <> 0 THEN 'buying this quarter' END,
    CASE WHEN p17 <> 0 THEN 'buying this year' END,
    CASE WHEN p18 <> 0 THEN 'reading up' END,
    CASE WHEN p19 <> 0 THEN 'deep research' END,
    CASE WHEN p20 <> 0 THEN 'wants CBCT' END,
    CASE WHEN p21 <> 0 THEN 'software only' END,
    CASE WHEN p22 <> 0 THEN 'called us' END,
    CASE WHEN p23 <> 0 THEN 'met us at a show' END,
    CASE WHEN p24 <> 0 THEN 'came to a webinar' END,
    CASE WHEN p25 <> 0 THEN 'active this week' END,
    CASE WHEN p26 <> 0 THEN 'talked money' END,
    CASE WHEN p27 <> 0 THEN 'gone quiet' END,
    CASE WHEN p28 <> 0 THEN 'long gone' END,
    CASE WHEN p29 <> 0 THEN 'chased in vain' END,
    CASE WHEN p30 <> 0 THEN 'old inquiry' END,
    CASE WHEN bant THEN 'BANT' END,
    CASE WHEN owner IS NULL THEN 'unassigned' END) AS matched
FROM t
) TO '@OUT@' (HEADER);
