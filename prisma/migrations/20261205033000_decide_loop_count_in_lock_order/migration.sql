-- Loop counting in decide counts every earlier call of the window that committed before this batch
-- took the agent's lock, whatever its timestamp. The bound `t.at <= until` left out calls that another
-- process timestamped a moment later than this batch but committed first, while this batch waited
-- for the lock: five identical calls at once through two processes were all allowed.
CREATE OR REPLACE FUNCTION agentry_decide_prepare(batch jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  org uuid := (batch->>'org')::uuid;
  answer jsonb;
BEGIN
  -- Budget usage rows, in key order: every holder of these rows takes them in this order.
  PERFORM 1 FROM budget_usage u
    JOIN jsonb_to_recordset(batch->'rows') AS r(b uuid, p timestamptz) ON u.budget_id = r.b AND u.period_start = r.p
   WHERE u.org_id = org
   ORDER BY u.budget_id, u.period_start
     FOR UPDATE OF u;
  -- Loop counting is serialised per agent across processes (server/data/loops.ts takes the same locks).
  PERFORM pg_advisory_xact_lock(hashtextextended('loops:' || k.agent, 0))
    FROM (SELECT jsonb_array_elements_text(batch->'agents') AS agent ORDER BY 1) k;

  -- A statement of its own, after the locks: its snapshot sees everything committed before we got them.
  SELECT jsonb_build_object(
    'budgets', (
      SELECT COALESCE(jsonb_agg(jsonb_build_object(
               'b', r.b, 'p', r.p,
               'reserved', COALESCE((SELECT u.reserved_micros FROM budget_usage u WHERE u.budget_id = r.b AND u.period_start = r.p), 0)::text,
               'spent', (CASE r.s
                   WHEN 'org' THEN (SELECT COALESCE(SUM(d.cost_micros), 0) FROM spend_daily d WHERE d.org_id = org AND d.day >= r.f AND d.day < r.u)
                   WHEN 'team' THEN (SELECT COALESCE(SUM(d.cost_micros), 0) FROM spend_daily d WHERE d.org_id = org AND d.team_id = r.t AND d.day >= r.f AND d.day < r.u)
                   ELSE (SELECT COALESCE(SUM(d.cost_micros), 0) FROM spend_daily d WHERE d.agent_id = r.a AND d.org_id = org AND d.day >= r.f AND d.day < r.u)
                 END)::text)), '[]'::jsonb)
        FROM jsonb_to_recordset(batch->'rows') AS r(b uuid, p timestamptz, s text, t uuid, a uuid, f date, u date)),
    'calls', (
      SELECT COALESCE(jsonb_agg(jsonb_build_object(
               'a', c.a, 'h', c.h,
               'prior', (SELECT count(*) FROM tool_call_log t
                          WHERE t.agent_id = c.a AND t.call_hash = c.h AND t.at > c.s
                            AND t.at > COALESCE((SELECT max(k.released_at) FROM kill_switches k
                                                  WHERE k.org_id = org AND k.scope = 'agent' AND k.target = c.a::text AND k.reason_code = 'loop_detected'), '-infinity')),
               'switch', (SELECT k.id FROM kill_switches k
                           WHERE k.org_id = org AND k.scope = 'agent' AND k.target = c.a::text AND k.reason_code = 'loop_detected' AND k.released_at IS NULL
                           LIMIT 1))), '[]'::jsonb)
        FROM jsonb_to_recordset(batch->'calls') AS c(a uuid, h text, s timestamptz)),
    'approvals', (
      SELECT COALESCE(jsonb_agg(to_jsonb(x)), '[]'::jsonb) FROM (
        SELECT id, agent_id, status, expires_at, decided_at, decided_by, used_at, action_type, action_name, arguments
          FROM approvals
         WHERE org_id = org AND id IN (SELECT jsonb_array_elements_text(batch->'approvals')::uuid)
         ORDER BY id
           FOR UPDATE) x)
  ) INTO answer;
  RETURN answer;
END
$$;
