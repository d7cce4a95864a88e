CREATE TABLE t_orders (id bigint, customer text, amount numeric(12,2), qty integer, at timestamp, paid timestamptz, ok boolean);
INSERT INTO t_orders (id, customer, amount, qty, at, paid, ok) VALUES
  (1, 'Zoé', 12.50, 2, '2024-02-29 10:00:00', '2024-02-29 10:00:00+01', true),
  (2, 'Clément', 99.99, 1, '2024-03-01 23:59:59', '2024-03-01 23:59:59+00', false),
  (3, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE customers (id integer, first_name text, last_name text, email text, phone text, city text, country char(2), gender text, birth_date date, created_at timestamptz, score double precision, vip boolean, profile json);
INSERT INTO customers (id, first_name, last_name, email, phone, city, country, gender, birth_date, created_at, score, vip, profile) VALUES
  (1, 'Zoé', 'Dupont', 'ZOE.dupont@Gmail.com ', '06 12 34 56 78', 'Paris', 'FR', 'F', '1990-05-17', '2023-01-15 09:30:00+01', 4.5, true, '{"plan": "gold", "visits": 12, "tags": ["vip", "newsletter"], "address": {"city": "Paris", "zip": "75005"}}'),
  (2, 'Clément', 'Martin', 'clement.martin@orange.fr', '+33612345679', 'Lyon', 'FR', 'M', '1985-11-02', '2023-03-01 14:00:00+01', 3.25, false, '{"plan": "silver", "visits": 3, "tags": ["promo"], "address": {"city": "Lyon", "zip": "69002"}}'),
  (3, 'Élodie', 'Lefèvre', 'elodie@example.com', NULL, 'Marseille', 'FR', 'F', '2001-02-28', '2023-06-30 23:45:00+02', NULL, false, '{"plan": "free", "visits": 0, "tags": []}'),
  (4, 'Jean-Luc', 'Picard', 'jl.picard@starfleet.org', '0033 1 23 45 67 89', 'La Barre', 'FR', 'M', '1960-07-13', '2024-01-01 00:00:00+00', 5, true, NULL),
  (5, 'Anna', 'Schmidt', 'anna.schmidt@web.de', '+49 30 1234567', 'Berlin', 'DE', 'F', NULL, '2024-02-29 12:00:00+01', 2.75, NULL, '{"plan": "gold", "visits": 7, "tags": ["vip"]}'),
  (6, 'john', 'SMITH', NULL, '(212) 555-0100', 'New York', 'US', NULL, '1975-12-31', '2024-07-04 18:00:00-04', 1.5, false, '{"plan": null, "visits": 1}'),
  (7, 'Ségolène', 'Royal', 'segolene@example.fr', '07 00 00 00 01', 'Niort', 'FR', 'Mme', '1953-09-22', '2024-12-24 20:15:30+01', 0, false, '{"plan": "silver", "visits": 2, "tags": ["newsletter"]}'),
  (8, 'Ève', 'Ôzil', 'eve@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE orders (id bigint, customer_id integer, amount numeric(12,2), qty integer, discount real, ordered_at timestamp, paid_at timestamptz, status text, channel text);
INSERT INTO orders (id, customer_id, amount, qty, discount, ordered_at, paid_at, status, channel) VALUES
  (101, 1, 12.50, 2, 0, '2024-01-05 10:00:00', '2024-01-05 10:05:00+01', 'paid', 'web'),
  (102, 1, 99.99, 1, 0.1, '2024-02-29 23:30:00', '2024-03-01 00:10:00+01', 'paid', 'store'),
  (103, 2, 45.00, 3, NULL, '2024-03-15 08:15:00', NULL, 'cancelled', 'web'),
  (104, 2, 7.35, 1, 0.05, '2024-03-31 22:00:00', '2024-04-01 01:00:00+02', 'paid', 'app'),
  (105, 3, 250.00, 5, 0.2, '2024-06-01 12:00:00', '2024-06-01 12:30:00+02', 'paid', 'web'),
  (106, 4, 0.99, 1, 0, '2024-12-31 23:59:59', '2025-01-01 00:00:10+01', 'refunded', 'app'),
  (107, 5, 1234.56, 10, 0.15, '2025-01-02 09:00:00', '2025-01-02 09:10:00+01', 'paid', 'store'),
  (108, 5, 19.90, 2, NULL, '2025-01-02 09:30:00', NULL, 'pending', NULL),
  (109, 6, 75.25, 3, 0, '2025-02-14 19:45:00', '2025-02-14 19:50:00-05', 'paid', 'web'),
  (110, 7, 300.00, 1, 0.3, '2025-03-30 02:30:00', '2025-03-30 03:30:00+02', 'paid', 'store'),
  (111, 1, 15.00, 1, 0, '2025-05-01 11:11:11', '2025-05-01 11:12:00+02', 'paid', 'web'),
  (112, NULL, 5.00, 1, NULL, '2025-05-02 00:00:00', NULL, 'pending', 'web');
CREATE TABLE events (id bigint, customer_id integer, kind text, at timestamptz, payload jsonb, tags text[]);
INSERT INTO events (id, customer_id, kind, at, payload, tags) VALUES
  (1, 1, 'page_view', '2024-01-05 09:55:00+01', '{"page": "/home", "ms": 120}', ARRAY['web', 'fr']),
  (2, 1, 'add_to_cart', '2024-01-05 09:58:00+01', '{"page": "/p/42", "sku": "A-42", "qty": 2}', ARRAY['web']),
  (3, 2, 'page_view', '2024-03-15 08:00:00+01', '{"page": "/home", "ms": 80}', ARRAY['app']),
  (4, 3, 'newsletter_open', '2024-05-20 07:30:00+02', '{"campaign": "spring", "ms": null}', NULL),
  (5, 5, 'page_view', '2025-01-02 08:59:00+01', '{"page": "/sale", "ms": 300, "utm": {"source": "google", "medium": "cpc"}}', ARRAY['web', 'de', 'paid']),
  (6, NULL, 'page_view', '2025-01-03 10:00:00+01', '{"page": "/home"}', ARRAY[]::text[]),
  (7, 7, 'unsubscribe', '2025-04-01 12:00:00+02', '{"reason": "too many emails"}', ARRAY['email']);
