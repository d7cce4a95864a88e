-- Lifetime value by acquisition channel: revenue per contact and per buyer, and how often buyers come back
WITH per_contact AS (
  SELECT c.contact_id,
         c.source,
         count(o.order_id) AS orders,
         coalesce(sum(o.total_amount), 0) AS revenue
  FROM contacts c
  LEFT JOIN orders o ON o.contact_id = c.contact_id AND o.status IN ('delivered', 'shipped')
  GROUP BY c.contact_id, c.source
)
SELECT source AS acquisition_channel,
       count(*) AS contacts,
       count(*) FILTER (WHERE orders > 0) AS buyers,
       sum(orders) AS orders,
       sum(revenue) AS revenue,
       round(sum(revenue) / count(*), 2) AS ltv_per_contact,
       round(sum(revenue) / count(*) FILTER (WHERE orders > 0), 2) AS ltv_per_buyer,
       round(1.0 * sum(orders) / count(*) FILTER (WHERE orders > 0), 2) AS orders_per_buyer
FROM per_contact
GROUP BY source
ORDER BY ltv_per_contact DESC, source;
