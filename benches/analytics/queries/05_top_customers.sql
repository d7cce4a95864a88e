-- Who are our 20 best customers by lifetime revenue, and when did they first and last order?
SELECT c.contact_id,
       c.first_name,
       c.last_name,
       c.email,
       c.city,
       count(*) AS orders,
       sum(o.total_amount) AS revenue,
       sum(o.discount_amount) AS discounts,
       min(o.order_date) AS first_order,
       max(o.order_date) AS last_order
FROM orders o
JOIN contacts c ON c.contact_id = o.contact_id
WHERE o.status IN ('delivered', 'shipped')
GROUP BY c.contact_id, c.first_name, c.last_name, c.email, c.city
ORDER BY revenue DESC, c.contact_id
LIMIT 20;
