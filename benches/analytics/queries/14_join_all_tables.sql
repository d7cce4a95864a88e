-- Revenue in 2025 by product category and acquisition source, from customers who clicked a newsletter in 2025
SELECT p.category,
       c.source,
       count(DISTINCT o.contact_id) AS customers,
       count(DISTINCT o.order_id) AS orders,
       sum(oi.quantity) AS units,
       sum(oi.quantity * oi.unit_price) AS revenue
FROM orders o
JOIN order_items oi ON oi.order_id = o.order_id
JOIN products p ON p.product_id = oi.product_id
JOIN contacts c ON c.contact_id = o.contact_id
JOIN (
  SELECT DISTINCT contact_id
  FROM events
  WHERE event_type = 'newsletter_click'
    AND occurred_at >= '2025-01-01' AND occurred_at < '2026-01-01'
) e ON e.contact_id = o.contact_id
WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01'
  AND o.status <> 'cancelled'
GROUP BY p.category, c.source
ORDER BY revenue DESC, p.category, c.source;
