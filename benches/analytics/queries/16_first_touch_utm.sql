-- First-touch attribution: the utm_source and device of each known contact's first web event, and how many of them became buyers
WITH ranked AS (
  SELECT contact_id,
         utm_source,
         device,
         ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY occurred_at, event_id) AS rn
  FROM events
  WHERE contact_id IS NOT NULL
), first_touch AS (
  SELECT contact_id, coalesce(utm_source, '(none)') AS first_utm_source, device
  FROM ranked
  WHERE rn = 1
)
SELECT f.first_utm_source,
       f.device,
       count(*) AS contacts,
       count(b.contact_id) AS buyers,
       coalesce(sum(b.revenue), 0) AS revenue
FROM first_touch f
LEFT JOIN (
  SELECT contact_id, sum(total_amount) AS revenue
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY contact_id
) b ON b.contact_id = f.contact_id
GROUP BY f.first_utm_source, f.device
ORDER BY contacts DESC, f.first_utm_source, f.device;
