-- PostgreSQL 15 schema of the customer-analytics benchmark: the tables of
-- `tessera demo` (engine/src/demo.rs), loaded by load_postgres.py with COPY.
-- Keys and indexes are built after the load, as for any bulk load; the
-- indexes are the ones a DBA would add for these reports (foreign keys and
-- the date columns).
CREATE TABLE products (
  product_id bigint,
  sku text NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  created_at date
);
CREATE TABLE contacts (
  contact_id bigint,
  source text NOT NULL,
  civility text,
  first_name text,
  last_name text,
  email text,
  phone text,
  birth_date date,
  address text,
  postal_code text,
  city text,
  country text,
  email_opt_in boolean NOT NULL,
  sms_opt_in boolean NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE orders (
  order_id bigint,
  contact_id bigint NOT NULL,
  order_date timestamptz NOT NULL,
  channel text NOT NULL,
  status text NOT NULL,
  total_amount numeric(12,2) NOT NULL,
  discount_amount numeric(12,2) NOT NULL,
  currency text NOT NULL
);
CREATE TABLE order_items (
  order_id bigint NOT NULL,
  line_number integer NOT NULL,
  product_id bigint NOT NULL,
  quantity integer NOT NULL,
  unit_price numeric(10,2) NOT NULL
);
CREATE TABLE events (
  event_id bigint,
  contact_id bigint,
  anonymous_id text,
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  page_url text,
  utm_source text,
  device text
);

-- @@ after load @@
ALTER TABLE products ADD PRIMARY KEY (product_id);
ALTER TABLE contacts ADD PRIMARY KEY (contact_id);
ALTER TABLE orders ADD PRIMARY KEY (order_id);
ALTER TABLE order_items ADD PRIMARY KEY (order_id, line_number);
ALTER TABLE events ADD PRIMARY KEY (event_id);
CREATE INDEX ON orders (contact_id);
CREATE INDEX ON orders (order_date);
CREATE INDEX ON order_items (product_id);
CREATE INDEX ON events (contact_id, occurred_at);
CREATE INDEX ON events (occurred_at);
