-- Conversion funnel in 2025 by device: how many known contacts reached each step, and what share of the page-view audience is that?
WITH steps AS (
  SELECT device,
         CASE event_type
           WHEN 'page_view' THEN 1
           WHEN 'product_view' THEN 2
           WHEN 'add_to_cart' THEN 3
           WHEN 'checkout' THEN 4
           WHEN 'purchase' THEN 5
         END AS step,
         event_type,
         contact_id
  FROM events
  WHERE contact_id IS NOT NULL
    AND occurred_at >= '2025-01-01' AND occurred_at < '2026-01-01'
    AND event_type IN ('page_view', 'product_view', 'add_to_cart', 'checkout', 'purchase')
), counts AS (
  SELECT device, step, event_type, count(DISTINCT contact_id) AS contacts
  FROM steps
  GROUP BY device, step, event_type
)
SELECT device,
       step,
       event_type,
       contacts,
       round(100.0 * contacts / first_value(contacts) OVER (PARTITION BY device ORDER BY step), 1) AS pct_of_visitors
FROM counts
ORDER BY device, step;
