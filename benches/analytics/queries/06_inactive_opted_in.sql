-- Win-back list: opted-in customers with an e-mail who have bought before but not in the 180 days up to 2025-12-31, most valuable first
SELECT c.contact_id,
       c.email,
       c.source,
       h.orders,
       h.revenue,
       h.last_order,
       CAST(DATE '2025-12-31' - CAST(h.last_order AS date) AS integer) AS days_inactive
FROM contacts c
JOIN (
  SELECT contact_id, count(*) AS orders, sum(total_amount) AS revenue, max(order_date) AS last_order
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY contact_id
) h ON h.contact_id = c.contact_id
WHERE c.email_opt_in
  AND c.email IS NOT NULL
  AND NOT EXISTS (
    SELECT 1
    FROM orders o
    WHERE o.contact_id = c.contact_id
      AND o.order_date >= TIMESTAMPTZ '2025-12-31 00:00:00+00' - INTERVAL '180 days'
  )
ORDER BY h.revenue DESC, c.contact_id
LIMIT 50;
