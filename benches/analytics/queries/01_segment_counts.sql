-- How many contacts do we have per acquisition source, how many can we e-mail or text, and how many have bought in 2025?
SELECT c.source,
       count(*) AS contacts,
       count(*) FILTER (WHERE c.email_opt_in) AS email_opt_in,
       count(*) FILTER (WHERE c.sms_opt_in) AS sms_opt_in,
       count(*) FILTER (WHERE c.email IS NULL AND c.phone IS NULL) AS unreachable,
       count(*) FILTER (WHERE b.contact_id IS NOT NULL) AS buyers_2025,
       count(*) FILTER (WHERE b.contact_id IS NOT NULL AND c.email_opt_in) AS opted_in_buyers_2025
FROM contacts c
LEFT JOIN (
  SELECT DISTINCT contact_id
  FROM orders
  WHERE order_date >= '2025-01-01' AND order_date < '2026-01-01'
    AND status <> 'cancelled'
) b ON b.contact_id = c.contact_id
GROUP BY c.source
ORDER BY contacts DESC, c.source;
