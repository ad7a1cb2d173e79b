/**
 * Sessionisation of the clickstream. The events carry no session id; a session is a run of one
 * visitor's events with no gap longer than the inactivity timeout (30 minutes, as Google
 * Analytics and Adobe define it): an event more than 30 minutes after the visitor's previous
 * event starts a new session; a gap of exactly 30 minutes does not.
 *
 * Who the visitor is:
 *   - a logged-in event belongs to its `customer_id`;
 *   - an anonymous event belongs to the customer its device is stitched to: a device that was
 *     logged in by exactly one customer at some point in the data (`stitchDevices`, on by
 *     default), so a visit that logs in midway stays one session and anonymous browsing on a
 *     customer's phone counts for that customer;
 *   - otherwise it belongs to its `device_id` (an anonymous visitor).
 * `visitor_key` is `c<customer_id>` or `d:<device_id>`. A customer's events on several devices
 * form one timeline, so overlapping visits on a phone and a laptop are one session.
 *
 * Steps: drop duplicate deliveries of an event (same `event_id`), order each visitor's events by
 * (event_ts, event_id), flag an event whose gap to the previous one exceeds the timeout, number
 * the sessions with a running sum of the flags, aggregate.
 *
 * session_id = `<visitor_key>@<start as yyyyMMddTHHmmss>` (UTC): readable, and stable when later
 * data only adds later sessions.
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, type Relation } from "./relation.js";

export const SESSION_TIMEOUT_MINUTES = 30;

export interface SessionOptions {
  /** Inactivity gap that ends a session, in minutes (default 30). A gap must be strictly longer. */
  timeoutMinutes?: number;
  /** Attribute anonymous events to the customer their device is logged in by (default true). */
  stitchDevices?: boolean;
}

/**
 * The distinct events with their visitor (`resolved_customer_id`, or `anonymous_device_id` when
 * no customer is known), `gap_seconds` to the visitor's previous event, `new_session` and the
 * visitor's running session number `session_seq`. The visitor is a pair of columns rather than
 * one string so that the two window passes partition on cheap keys (this matters at 10M events).
 */
function numberedEventsSql(events: Relation, opts: SessionOptions): string {
  const timeout = opts.timeoutMinutes ?? SESSION_TIMEOUT_MINUTES;
  const stitch = opts.stitchDevices ?? true;
  const deviceCustomers = stitch
    ? `SELECT device_id, min(customer_id) AS stitched_customer_id
      FROM ev WHERE customer_id IS NOT NULL AND device_id IS NOT NULL
      GROUP BY device_id HAVING count(DISTINCT customer_id) = 1`
    : `SELECT CAST(NULL AS VARCHAR) AS device_id, CAST(NULL AS BIGINT) AS stitched_customer_id WHERE false`;
  const w = "PARTITION BY resolved_customer_id, anonymous_device_id ORDER BY event_ts, event_id";
  return `WITH ev AS (
      SELECT * REPLACE (CAST(event_ts AS TIMESTAMPTZ) AS event_ts, CAST(customer_id AS BIGINT) AS customer_id)
      FROM ${relationSql(events)}
      WHERE event_ts IS NOT NULL AND (customer_id IS NOT NULL OR device_id IS NOT NULL)
      QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY event_ts) = 1
    ),
    device_customers AS (${deviceCustomers}),
    keyed AS (
      SELECT ev.*, coalesce(ev.customer_id, dc.stitched_customer_id) AS resolved_customer_id,
        CASE WHEN coalesce(ev.customer_id, dc.stitched_customer_id) IS NULL THEN ev.device_id END AS anonymous_device_id
      FROM ev LEFT JOIN device_customers AS dc ON dc.device_id = ev.device_id
    ),
    flagged AS (
      SELECT *, gap_seconds IS NULL OR gap_seconds > ${timeout * 60} AS new_session
      FROM (SELECT *, epoch(event_ts) - epoch(lag(event_ts) OVER (${w})) AS gap_seconds FROM keyed)
    )
    SELECT *, sum(CASE WHEN new_session THEN 1 ELSE 0 END) OVER (${w} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_seq
    FROM flagged`;
}

/** `c<customer_id>` or `d:<device_id>` from the visitor columns. */
function visitorKeySql(customer = "resolved_customer_id", device = "anonymous_device_id"): string {
  return `CASE WHEN ${customer} IS NOT NULL THEN 'c' || CAST(${customer} AS VARCHAR) ELSE 'd:' || ${device} END`;
}

/** The session id of a visitor key and session start. */
function sessionIdSql(visitorKey: string, start: string): string {
  return `${visitorKey} || '@' || strftime(${start}, '%Y%m%dT%H%M%S')`;
}

/**
 * One row per distinct event with its visitor and session: the input's columns (event_ts as an
 * instant) plus resolved_customer_id, anonymous_device_id, visitor_key, gap_seconds,
 * new_session, session_id.
 */
export function sessionisedEventsSql(events: Relation, opts: SessionOptions = {}): string {
  const start = "min(event_ts) OVER (PARTITION BY resolved_customer_id, anonymous_device_id, session_seq)";
  return `SELECT * EXCLUDE (session_seq), ${visitorKeySql()} AS visitor_key, ${sessionIdSql(visitorKeySql(), start)} AS session_id
    FROM (${numberedEventsSql(events, opts)})`;
}

/**
 * One row per session: session_id, visitor_key, customer_id (NULL for anonymous visitors),
 * is_identified, device_id (of the first event), devices, session_start, session_end,
 * session_date, duration_seconds, events, page_views, product_views, searches, add_to_carts,
 * checkouts, purchases, converted, landing_page, referrer (first external referrer).
 */
export function sessionsSql(events: Relation, opts: SessionOptions = {}): string {
  return `SELECT ${sessionIdSql(visitorKeySql(), "session_start")} AS session_id, ${visitorKeySql()} AS visitor_key,
      resolved_customer_id AS customer_id, resolved_customer_id IS NOT NULL AS is_identified,
      * EXCLUDE (resolved_customer_id, anonymous_device_id, session_seq)
    FROM (
      SELECT resolved_customer_id, anonymous_device_id, session_seq,
        arg_min(device_id, event_ts) AS device_id,
        count(DISTINCT device_id) AS devices,
        min(event_ts) AS session_start,
        max(event_ts) AS session_end,
        CAST(min(event_ts) AS DATE) AS session_date,
        CAST(epoch(max(event_ts)) - epoch(min(event_ts)) AS DOUBLE) AS duration_seconds,
        count(*) AS events,
        count(*) FILTER (WHERE event_type = 'page_view') AS page_views,
        count(*) FILTER (WHERE event_type = 'product_view') AS product_views,
        count(*) FILTER (WHERE event_type = 'search') AS searches,
        count(*) FILTER (WHERE event_type = 'add_to_cart') AS add_to_carts,
        count(*) FILTER (WHERE event_type = 'checkout') AS checkouts,
        count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
        count(*) FILTER (WHERE event_type = 'purchase') > 0 AS converted,
        arg_min(page, event_ts) AS landing_page,
        arg_min(referrer, event_ts) FILTER (WHERE referrer IS NOT NULL) AS referrer
      FROM (${numberedEventsSql(events, opts)})
      GROUP BY resolved_customer_id, anonymous_device_id, session_seq
    )`;
}

export function sessionisedEvents(spark: QueryRunner, events: Relation, opts?: SessionOptions): DataFrame {
  return frame(spark, sessionisedEventsSql(events, opts));
}
export function sessions(spark: QueryRunner, events: Relation, opts?: SessionOptions): DataFrame {
  return frame(spark, sessionsSql(events, opts));
}
