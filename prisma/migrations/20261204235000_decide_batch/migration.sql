-- The decision commit in two calls (server/data/decisions.ts): one that locks what a batch of
-- decisions touches and reads the live counters after the locks, and one that writes everything
-- the verdicts decided. Each takes the batch as one JSON document, so a batch of any size is one
-- round trip each way, and the statements inside are planned once per connection.

CREATE FUNCTION agentry_decide_prepare(batch jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
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
                          WHERE t.agent_id = c.a AND t.call_hash = c.h AND t.at > c.s AND t.at <= (batch->>'until')::timestamptz
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

CREATE FUNCTION agentry_decide_write(batch jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  org uuid := (batch->>'org')::uuid;
BEGIN
  UPDATE budget_usage u SET reserved_micros = u.reserved_micros + h.amount
    FROM jsonb_to_recordset(batch->'holds') AS h(b uuid, p timestamptz, amount bigint)
   WHERE u.budget_id = h.b AND u.period_start = h.p;

  INSERT INTO budget_reservations (org_id, agent_id, decision_id, amount_micros, holds, expires_at)
  SELECT org, r.agent, r.decision, r.amount, r.holds, r.expires
    FROM jsonb_to_recordset(batch->'reservations') AS r(agent uuid, decision uuid, amount bigint, holds jsonb, expires timestamptz);

  INSERT INTO decisions (id, org_id, agent_id, action_type, action_name, arguments, task_type, task_id, instance_id, data_classes,
                         estimated_cost_micros, decision, reasons, policy_ids, approval_id, model, version_id, duration_micros, at)
  SELECT x.id, org, x.agent, x.action_type, x.action_name, x.arguments, x.task_type, x.task_id, x.instance_id,
         ARRAY(SELECT jsonb_array_elements_text(x.data_classes)), x.estimated, x.decision::"Decision", x.reasons,
         ARRAY(SELECT jsonb_array_elements_text(x.policy_ids)), x.approval, x.model, x.version, x.duration, x.at
    FROM jsonb_to_recordset(batch->'decisions') AS x(id uuid, agent uuid, action_type text, action_name text, arguments jsonb, task_type text,
           task_id text, instance_id text, data_classes jsonb, estimated bigint, decision text, reasons jsonb, policy_ids jsonb,
           approval uuid, model text, version uuid, duration int, at timestamptz);

  INSERT INTO tool_call_log (org_id, agent_id, call_hash, at)
  SELECT org, c.a, c.h, c.at FROM jsonb_to_recordset(batch->'calls') AS c(a uuid, h text, at timestamptz);

  UPDATE approvals a SET used_at = now(), used_by_decision_id = u.decision
    FROM jsonb_to_recordset(batch->'used') AS u(id uuid, decision uuid)
   WHERE a.id = u.id AND a.org_id = org;

  INSERT INTO audit_entries (id, org_id, seq, at, actor_type, actor_id, actor_label, action, target_type, target_id, team_id, before, after, reason, prev_hash, hash)
  SELECT e.id, e.org_id, e.seq, e.at, e.actor_type::"ActorType", e.actor_id, e.actor_label, e.action, e.target_type, e.target_id, e.team_id,
         e.before, e.after, e.reason, e.prev_hash, e.hash
    FROM jsonb_to_recordset(batch->'audit') AS e(id uuid, org_id uuid, seq int, at timestamptz, actor_type text, actor_id text, actor_label text,
           action text, target_type text, target_id text, team_id uuid, before jsonb, after jsonb, reason text, prev_hash text, hash text)
   ORDER BY e.seq;

  IF jsonb_array_length(COALESCE(batch->'jobs', '[]'::jsonb)) > 0 THEN
    PERFORM graphile_worker.add_jobs(
      (SELECT array_agg(ROW(j.identifier, j.payload::json, NULL, COALESCE(j.run_at, now()), j.max_attempts, j.job_key, NULL, NULL)::graphile_worker.job_spec)
         FROM jsonb_to_recordset(batch->'jobs') AS j(identifier text, payload jsonb, run_at timestamptz, max_attempts int, job_key text)),
      true);
  END IF;
END
$$;
