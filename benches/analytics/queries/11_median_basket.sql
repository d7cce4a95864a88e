-- Median and 90th-percentile basket per sales channel and year, next to the average
SELECT channel,
       CAST(extract(year FROM order_date) AS integer) AS order_year,
       count(*) AS orders,
       round(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(total_amount AS double precision)) AS numeric), 2) AS median_basket,
       round(CAST(percentile_cont(0.9) WITHIN GROUP (ORDER BY CAST(total_amount AS double precision)) AS numeric), 2) AS p90_basket,
       round(sum(total_amount) / count(*), 2) AS avg_basket
FROM orders
WHERE status <> 'cancelled'
GROUP BY channel, CAST(extract(year FROM order_date) AS integer)
ORDER BY channel, order_year;
