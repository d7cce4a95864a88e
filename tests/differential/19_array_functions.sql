-- Arrays mapped and filtered with ARRAY(SELECT … FROM unnest(…)), the
-- idiom analysts and psql use, and array literals read from text
SELECT id, array(SELECT upper(t) FROM unnest(tags) t) AS upper_tags FROM events ORDER BY id;
SELECT id, array(SELECT t || '!' FROM unnest(tags) AS t WHERE t <> 'web') AS others, array(SELECT kind || ':' || t FROM unnest(tags) t) AS labelled FROM events ORDER BY id;
SELECT id, array(SELECT u.tag FROM unnest(tags) AS u(tag) WHERE u.tag LIKE 'm%') AS m_tags, cardinality(array(SELECT t FROM unnest(tags) t WHERE t > 'a')) AS n FROM events ORDER BY id;
SELECT id, array_to_string(array(SELECT initcap(t) FROM unnest(tags) t), ', ') AS pretty FROM events ORDER BY id;
SELECT ('{' || 'p,q' || '}')::text[] AS built, '{1,2}'::int[] AS ints, '{"a b",NULL}'::text[] AS quoted, ('{' || id || ',' || coalesce(customer_id, 0) || '}')::int[] AS pair FROM events ORDER BY id;
