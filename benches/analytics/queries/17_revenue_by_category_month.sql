-- Revenue, units and orders per product category and month in 2025 (delivered and shipped orders)
SELECT date_trunc('month', o.order_date) AS month,
       p.category,
       count(DISTINCT o.order_id) AS orders,
       sum(oi.quantity) AS units,
       sum(oi.quantity * oi.unit_price) AS revenue
FROM order_items oi
JOIN orders o ON o.order_id = oi.order_id
JOIN products p ON p.product_id = oi.product_id
WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01'
  AND o.status IN ('delivered', 'shipped')
GROUP BY date_trunc('month', o.order_date), p.category
ORDER BY month, revenue DESC, p.category;
