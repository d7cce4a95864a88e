-- RFM: score every customer 1-5 on recency, frequency and monetary value; how many customers and how much revenue in each segment?
WITH per_customer AS (
  SELECT contact_id,
         max(order_date) AS last_order,
         count(*) AS orders,
         sum(total_amount) AS revenue
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY contact_id
), scored AS (
  SELECT contact_id,
         revenue,
         CAST(NTILE(5) OVER (ORDER BY last_order, contact_id) AS integer) AS r,
         CAST(NTILE(5) OVER (ORDER BY orders, contact_id) AS integer) AS f,
         CAST(NTILE(5) OVER (ORDER BY revenue, contact_id) AS integer) AS m
  FROM per_customer
), segmented AS (
  SELECT contact_id, revenue, r, f, m,
         CASE
           WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'champions'
           WHEN r >= 3 AND f >= 3 THEN 'loyal'
           WHEN r >= 4 AND f <= 2 THEN 'new or promising'
           WHEN r <= 2 AND f >= 3 THEN 'at risk'
           WHEN r <= 2 AND f <= 2 AND m <= 2 THEN 'lost'
           ELSE 'needs attention'
         END AS segment
  FROM scored
)
SELECT segment,
       count(*) AS customers,
       sum(revenue) AS revenue,
       round(avg(r), 2) AS avg_r,
       round(avg(f), 2) AS avg_f,
       round(avg(m), 2) AS avg_m
FROM segmented
GROUP BY segment
ORDER BY revenue DESC, segment;
