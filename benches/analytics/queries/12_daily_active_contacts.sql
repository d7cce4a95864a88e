-- Daily activity in Q4 2025: events, distinct known contacts and distinct anonymous visitors per day
SELECT CAST(occurred_at AS date) AS day,
       count(*) AS events,
       count(DISTINCT contact_id) AS known_contacts,
       count(DISTINCT anonymous_id) FILTER (WHERE contact_id IS NULL) AS anonymous_visitors,
       count(DISTINCT contact_id) FILTER (WHERE event_type = 'purchase') AS purchasing_contacts
FROM events
WHERE occurred_at >= '2025-10-01' AND occurred_at < '2026-01-01'
GROUP BY CAST(occurred_at AS date)
ORDER BY day;
