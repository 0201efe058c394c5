-- What each AI reply cost, as OpenRouter reported it (usage.cost, US dollars), stored as an integer
-- number of millionths of a dollar: a reply costs a fraction of a cent. NULL for template and
-- fallback replies and for replies recorded before this migration. docs/adr/0025 explains.
ALTER TABLE messages ADD COLUMN cost_micros INTEGER;
