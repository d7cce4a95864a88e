-- Newsletter engagement per quarter: contacts who opened, who clicked, and how many clickers ordered within 7 days of their first click of the quarter
WITH engaged AS (
  SELECT date_trunc('quarter', occurred_at) AS quarter,
         count(DISTINCT contact_id) FILTER (WHERE event_type = 'newsletter_open') AS openers,
         count(DISTINCT contact_id) FILTER (WHERE event_type = 'newsletter_click') AS clickers
  FROM events
  WHERE contact_id IS NOT NULL
    AND event_type IN ('newsletter_open', 'newsletter_click')
  GROUP BY date_trunc('quarter', occurred_at)
), first_clicks AS (
  SELECT contact_id,
         date_trunc('quarter', occurred_at) AS quarter,
         min(occurred_at) AS first_click
  FROM events
  WHERE event_type = 'newsletter_click' AND contact_id IS NOT NULL
  GROUP BY contact_id, date_trunc('quarter', occurred_at)
), converted AS (
  SELECT k.quarter,
         count(DISTINCT k.contact_id) AS clickers_who_ordered
  FROM first_clicks k
  JOIN orders o ON o.contact_id = k.contact_id
   AND o.order_date >= k.first_click
   AND o.order_date < k.first_click + INTERVAL '7 days'
  GROUP BY k.quarter
)
SELECT e.quarter,
       e.openers,
       e.clickers,
       coalesce(c.clickers_who_ordered, 0) AS clickers_who_ordered,
       round(100.0 * coalesce(c.clickers_who_ordered, 0) / e.clickers, 1) AS click_to_order_pct
FROM engaged e
LEFT JOIN converted c ON c.quarter = e.quarter
ORDER BY e.quarter;
