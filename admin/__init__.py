"""Administration commands on the conversation store (`python -m admin`, `make purge/erase/report`).

- `retention`: purge by age and erasure by conversation id, on Rasa's `events` table;
- `report`: the content owners' HTML report of what people ask and what went unanswered;
- `db`: the tracker store's database, read from the same endpoints.yml as the server.
"""
