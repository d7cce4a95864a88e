-- TPC-H schema for PostgreSQL (15+), matching the Parquet that gen_tpch
-- writes: keys bigint (Int64), other integers integer (Int32), money and
-- quantities numeric(15,2) (Decimal128(15,2)), dates date (Date32), strings
-- varchar with the spec's lengths (char(N) columns become varchar(N) so no
-- blank padding changes comparisons or lengths).
--
-- The file has two parts. Running it whole on an empty database works; for
-- big scale factors, run the part before the marker line, load the data
-- (COPY), then run the part after it: building the keys and indexes once
-- after loading is much faster than maintaining them row by row.

create table region (
    r_regionkey bigint not null,
    r_name varchar(25) not null,
    r_comment varchar(152) not null
);

create table nation (
    n_nationkey bigint not null,
    n_name varchar(25) not null,
    n_regionkey bigint not null,
    n_comment varchar(152) not null
);

create table part (
    p_partkey bigint not null,
    p_name varchar(55) not null,
    p_mfgr varchar(25) not null,
    p_brand varchar(10) not null,
    p_type varchar(25) not null,
    p_size integer not null,
    p_container varchar(10) not null,
    p_retailprice numeric(15, 2) not null,
    p_comment varchar(23) not null
);

create table supplier (
    s_suppkey bigint not null,
    s_name varchar(25) not null,
    s_address varchar(40) not null,
    s_nationkey bigint not null,
    s_phone varchar(15) not null,
    s_acctbal numeric(15, 2) not null,
    s_comment varchar(101) not null
);

create table partsupp (
    ps_partkey bigint not null,
    ps_suppkey bigint not null,
    ps_availqty integer not null,
    ps_supplycost numeric(15, 2) not null,
    ps_comment varchar(199) not null
);

create table customer (
    c_custkey bigint not null,
    c_name varchar(25) not null,
    c_address varchar(40) not null,
    c_nationkey bigint not null,
    c_phone varchar(15) not null,
    c_acctbal numeric(15, 2) not null,
    c_mktsegment varchar(10) not null,
    c_comment varchar(117) not null
);

create table orders (
    o_orderkey bigint not null,
    o_custkey bigint not null,
    o_orderstatus varchar(1) not null,
    o_totalprice numeric(15, 2) not null,
    o_orderdate date not null,
    o_orderpriority varchar(15) not null,
    o_clerk varchar(15) not null,
    o_shippriority integer not null,
    o_comment varchar(79) not null
);

create table lineitem (
    l_orderkey bigint not null,
    l_partkey bigint not null,
    l_suppkey bigint not null,
    l_linenumber integer not null,
    l_quantity numeric(15, 2) not null,
    l_extendedprice numeric(15, 2) not null,
    l_discount numeric(15, 2) not null,
    l_tax numeric(15, 2) not null,
    l_returnflag varchar(1) not null,
    l_linestatus varchar(1) not null,
    l_shipdate date not null,
    l_commitdate date not null,
    l_receiptdate date not null,
    l_shipinstruct varchar(25) not null,
    l_shipmode varchar(10) not null,
    l_comment varchar(44) not null
);

-- @@ after load @@

alter table region add primary key (r_regionkey);
alter table nation add primary key (n_nationkey);
alter table part add primary key (p_partkey);
alter table supplier add primary key (s_suppkey);
alter table partsupp add primary key (ps_partkey, ps_suppkey);
alter table customer add primary key (c_custkey);
alter table orders add primary key (o_orderkey);
alter table lineitem add primary key (l_orderkey, l_linenumber);

-- Foreign-key columns (l_orderkey and ps_partkey lead their primary keys).
create index nation_regionkey on nation (n_regionkey);
create index supplier_nationkey on supplier (s_nationkey);
create index partsupp_suppkey on partsupp (ps_suppkey);
create index customer_nationkey on customer (c_nationkey);
create index orders_custkey on orders (o_custkey);
create index lineitem_part_supp on lineitem (l_partkey, l_suppkey);
create index lineitem_suppkey on lineitem (l_suppkey);

analyze;
