-- Appends one entry to an account's ledger; scripts that move credits include this so the movement and
-- its record are one atomic step. Needs LEDGER_LENGTH.
local function appendLedger(ledgerKey, at, kind, amount, balance, generationId)
  redis.call('LPUSH', ledgerKey, cjson.encode({at = tonumber(at), kind = kind, amount = amount, balance = balance, generationId = generationId}))
  redis.call('LTRIM', ledgerKey, 0, LEDGER_LENGTH - 1)
end
