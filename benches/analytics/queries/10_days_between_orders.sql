-- How long do customers wait between orders: average and median days from the previous order, for the 2nd to the 10th order
WITH ordered AS (
  SELECT contact_id,
         order_date,
         ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY order_date, order_id) AS order_number,
         LAG(order_date) OVER (PARTITION BY contact_id ORDER BY order_date, order_id) AS previous_order
  FROM orders
  WHERE status <> 'cancelled'
), gaps AS (
  SELECT order_number,
         CAST(order_date AS date) - CAST(previous_order AS date) AS days
  FROM ordered
  WHERE previous_order IS NOT NULL
)
SELECT order_number,
       count(*) AS orders,
       round(avg(days), 1) AS avg_days_since_previous,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY days) AS median_days,
       min(days) AS min_days,
       max(days) AS max_days
FROM gaps
WHERE order_number <= 10
GROUP BY order_number
ORDER BY order_number;
