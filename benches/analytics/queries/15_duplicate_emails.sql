-- Data quality: which e-mail addresses (ignoring case and spaces) are shared by several contacts, and from how many sources?
SELECT lower(trim(email)) AS email_key,
       count(*) AS contacts,
       count(DISTINCT source) AS sources,
       count(DISTINCT last_name) AS last_names,
       min(contact_id) AS first_contact_id
FROM contacts
WHERE email IS NOT NULL
GROUP BY lower(trim(email))
HAVING count(*) > 1
ORDER BY contacts DESC, sources DESC, first_contact_id
LIMIT 100;
