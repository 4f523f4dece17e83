-- Every process keeps a per-org snapshot of the facts decisions read (server/data/facts.ts) and
-- drops it when any process changes them. These triggers send the change on `agentry_changes`
-- (delivered on commit, dropped on rollback; identical payloads in one transaction arrive once),
-- so no write to a fact table can forget to say so. Columns that change all the time and that no
-- decision reads (last_seen_at, last_used_at) do not notify.

CREATE FUNCTION agentry_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_org uuid;
BEGIN
  IF TG_TABLE_NAME = 'orgs' THEN
    row_org := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  ELSE
    row_org := CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id ELSE NEW.org_id END;
  END IF;
  PERFORM pg_notify('agentry_changes', json_build_object('orgId', row_org, 'kind', TG_ARGV[0])::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER agents_notify_insert_delete AFTER INSERT OR DELETE ON agents
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('agents');
CREATE TRIGGER agents_notify_update AFTER UPDATE ON agents FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD.tags IS DISTINCT FROM NEW.tags OR OLD.risk_class IS DISTINCT FROM NEW.risk_class OR OLD.tools IS DISTINCT FROM NEW.tools
     OR OLD.models IS DISTINCT FROM NEW.models OR OLD.data_categories IS DISTINCT FROM NEW.data_categories
     OR OLD.loop_threshold IS DISTINCT FROM NEW.loop_threshold OR OLD.loop_window_sec IS DISTINCT FROM NEW.loop_window_sec)
  EXECUTE FUNCTION agentry_notify_change('agents');

CREATE TRIGGER teams_notify AFTER INSERT OR UPDATE OR DELETE ON teams
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('agents');

CREATE TRIGGER api_keys_notify_insert_delete AFTER INSERT OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('keys');
CREATE TRIGGER api_keys_notify_update AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.hash IS DISTINCT FROM NEW.hash OR OLD.agent_id IS DISTINCT FROM NEW.agent_id)
  EXECUTE FUNCTION agentry_notify_change('keys');

CREATE TRIGGER orgs_notify AFTER UPDATE ON orgs FOR EACH ROW
  WHEN (OLD.settings IS DISTINCT FROM NEW.settings)
  EXECUTE FUNCTION agentry_notify_change('org');

CREATE TRIGGER budgets_notify AFTER INSERT OR UPDATE OR DELETE ON budgets
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('budget');
CREATE TRIGGER models_notify AFTER INSERT OR UPDATE OR DELETE ON models
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('routing');
CREATE TRIGGER routing_rules_notify AFTER INSERT OR UPDATE OR DELETE ON routing_rules
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('routing');
CREATE TRIGGER policies_notify AFTER INSERT OR UPDATE OR DELETE ON policies
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('policy');
CREATE TRIGGER kill_switches_notify AFTER INSERT OR UPDATE OR DELETE ON kill_switches
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('killswitch');
CREATE TRIGGER directive_revisions_notify AFTER INSERT OR UPDATE ON directive_revisions
  FOR EACH ROW EXECUTE FUNCTION agentry_notify_change('directives');
