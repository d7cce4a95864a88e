-- Top 20 products of 2025 by revenue, with units sold, distinct buyers and return rate
SELECT p.product_id,
       p.sku,
       p.name,
       p.category,
       sum(oi.quantity) FILTER (WHERE o.status IN ('delivered', 'shipped')) AS units,
       sum(oi.quantity * oi.unit_price) FILTER (WHERE o.status IN ('delivered', 'shipped')) AS revenue,
       count(DISTINCT o.contact_id) AS buyers,
       round(100.0 * count(DISTINCT o.order_id) FILTER (WHERE o.status = 'returned') / count(DISTINCT o.order_id), 1) AS returned_pct
FROM order_items oi
JOIN orders o ON o.order_id = oi.order_id
JOIN products p ON p.product_id = oi.product_id
WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01'
GROUP BY p.product_id, p.sku, p.name, p.category
ORDER BY revenue DESC, p.product_id
LIMIT 20;
