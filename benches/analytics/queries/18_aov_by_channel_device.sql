-- Average order value and discount rate by sales channel and by the device the customer uses most on the web (2025)
WITH main_device AS (
  SELECT contact_id, device
  FROM (
    SELECT contact_id,
           device,
           ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY count(*) DESC, device) AS rn
    FROM events
    WHERE contact_id IS NOT NULL
    GROUP BY contact_id, device
  ) d
  WHERE rn = 1
)
SELECT o.channel,
       coalesce(d.device, '(no web activity)') AS main_device,
       count(*) AS orders,
       sum(o.total_amount) AS revenue,
       round(sum(o.total_amount) / count(*), 2) AS avg_order_value,
       round(100 * sum(o.discount_amount) / sum(o.total_amount + o.discount_amount), 2) AS discount_pct
FROM orders o
LEFT JOIN main_device d ON d.contact_id = o.contact_id
WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01'
  AND o.status <> 'cancelled'
GROUP BY o.channel, coalesce(d.device, '(no web activity)')
ORDER BY o.channel, main_device;
