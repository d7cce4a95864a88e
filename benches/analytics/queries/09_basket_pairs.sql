-- Which 20 pairs of products are most often bought together in the same order?
SELECT a.product_id AS product_a,
       pa.name AS name_a,
       b.product_id AS product_b,
       pb.name AS name_b,
       count(DISTINCT a.order_id) AS orders_together
FROM order_items a
JOIN order_items b ON b.order_id = a.order_id AND b.product_id > a.product_id
JOIN products pa ON pa.product_id = a.product_id
JOIN products pb ON pb.product_id = b.product_id
GROUP BY a.product_id, pa.name, b.product_id, pb.name
ORDER BY orders_together DESC, product_a, product_b
LIMIT 20;
