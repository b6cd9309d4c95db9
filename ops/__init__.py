"""Running Code & Care in production with Rasa's own parts.

- `tracker_store`: Rasa's SQL tracker store (SQLite or PostgreSQL) that notices when
  Rasa's FailSafeTrackerStore has fallen back to memory, and says so.
- `health`: the readiness route Kubernetes probes (`/webhooks/health/ready`).
- `action_fallback` and `launch`: a polite "temporarily unavailable" reply, within
  seconds, when the action server is down or hung.
- `retention`, `report`: purge, erasure by conversation id and the content owners'
  report, all read from the tracker store's `events` table.
"""
