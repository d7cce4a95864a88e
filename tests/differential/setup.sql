CREATE TABLE t_orders (id bigint, customer text, amount numeric(12,2), qty integer, at timestamp, paid timestamptz, ok boolean);
INSERT INTO t_orders (id, customer, amount, qty, at, paid, ok) VALUES
  (1, 'Zoé', 12.50, 2, '2024-02-29 10:00:00', '2024-02-29 10:00:00+01', true),
  (2, 'Clément', 99.99, 1, '2024-03-01 23:59:59', '2024-03-01 23:59:59+00', false),
  (3, NULL, NULL, NULL, NULL, NULL, NULL);
