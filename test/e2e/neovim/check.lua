-- Drives the mmlens language server from Neovim 0.7's own LSP client on one file and
-- writes what arrived to a JSON file for the Node test to judge:
--   nvim --headless --clean -u check.lua     with MMLENS_NVIM_CONFIG naming a JSON file:
--   { server, file, result, timeoutMs, minDiagnostics, hover = { line, character }, traceFunction }
-- Positions are 0-based (LSP). Every wait is on a condition, bounded by timeoutMs.

local function read_file(path)
  local handle = assert(io.open(path, 'r'))
  local text = handle:read('*a')
  handle:close()
  return text
end

local config = vim.json.decode(read_file(assert(os.getenv('MMLENS_NVIM_CONFIG'), 'MMLENS_NVIM_CONFIG is not set')))
local timeout = config.timeoutMs or 30000

local result = {
  nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch,
  errors = {},
  initialized = false,
  serverName = vim.NIL,
  diagnostics = {},
  published = 0,
  analysisStatus = {},
  hover = vim.NIL,
  hoverLines = {},
  codeLenses = {},
  codeLensText = {},
  trace = vim.NIL,
  serverExit = vim.NIL,
}

local function write_result()
  local handle = assert(io.open(config.result, 'w'))
  handle:write(vim.json.encode(result))
  handle:close()
end

-- Calls `attempt` until it returns true, pausing between tries, until `ms` have passed.
-- (buf_request_sync waits itself, so it is not called from inside a vim.wait condition.)
local function retry(ms, pause, attempt)
  local deadline = vim.loop.now() + ms
  while vim.loop.now() < deadline do
    if attempt() then return true end
    vim.wait(pause)
  end
  return false
end

local function note_error(message)
  table.insert(result.errors, message)
end

local function finish()
  write_result()
  vim.cmd('qa!')
end

-- Anything that throws below still leaves a result file saying why.
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(config.file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)

  local client_id = vim.lsp.start_client({
    name = 'mmlens',
    cmd = { config.node or 'node', config.server, '--stdio' },
    root_dir = vim.fn.fnamemodify(config.file, ':p:h'),
    settings = { mmlens = config.settings or vim.empty_dict() },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, params, ctx, cfg)
        if params and params.uri == uri then result.published = result.published + 1 end
        return vim.lsp.diagnostic.on_publish_diagnostics(e, params, ctx, cfg)
      end,
      ['mmlens/analysisStatus'] = function(_, params)
        table.insert(result.analysisStatus, params)
      end,
    },
    on_init = function(client, init_result)
      result.initialized = true
      if init_result and init_result.serverInfo then result.serverName = init_result.serverInfo.name end
    end,
    on_exit = function(code, signal)
      result.serverExit = { code = code, signal = signal }
    end,
    on_error = function(code, e)
      note_error('client error ' .. tostring(code) .. ': ' .. vim.inspect(e))
    end,
  })
  if not client_id then
    note_error('vim.lsp.start_client returned nil')
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function server_gone()
    return result.serverExit ~= vim.NIL
  end

  -- Diagnostics, through the client's diagnostic API.
  vim.wait(timeout, function()
    return server_gone() or #vim.diagnostic.get(bufnr) >= (config.minDiagnostics or 1)
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      line = d.lnum,
      col = d.col,
      endLine = d.end_lnum,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code,
      href = d.user_data and d.user_data.lsp and d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href or vim.NIL,
    })
  end
  if server_gone() then
    note_error('the server exited while the document was analysed')
    return
  end

  -- Hover: retried, as the first one may come while the server is still busy.
  local hover_params = { textDocument = { uri = uri }, position = config.hover }
  retry(timeout, 200, function()
    local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', hover_params, 5000) or {}
    for _, response in pairs(responses) do
      if response.error then note_error('hover: ' .. vim.inspect(response.error)) end
      if response.result and response.result.contents then
        local lines = vim.lsp.util.convert_input_to_markdown_lines(response.result.contents)
        lines = vim.lsp.util.trim_empty_lines(lines)
        if #lines > 0 then
          result.hover = response.result
          result.hoverLines = lines
          return true
        end
      end
    end
    return server_gone()
  end)

  -- Code lenses, through the client's code lens API (it resolves them and draws virtual text).
  local function lenses_resolved()
    local lenses = vim.lsp.codelens.get(bufnr)
    if #lenses == 0 then return false end
    for _, lens in ipairs(lenses) do
      if not lens.command then return false end
    end
    return true
  end
  retry(timeout, 200, function()
    vim.lsp.codelens.refresh()
    return vim.wait(2000, function() return lenses_resolved() or server_gone() end, 20)
  end)
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    table.insert(result.codeLenses, { line = lens.range.start.line, title = lens.command and lens.command.title or vim.NIL, command = lens.command and lens.command.command or vim.NIL })
  end
  for name, ns in pairs(vim.api.nvim_get_namespaces()) do
    if name:match('^vim_lsp_codelens') then
      for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })) do
        for _, chunk in ipairs(mark[4].virt_text or {}) do
          table.insert(result.codeLensText, { line = mark[2], text = chunk[1] })
        end
      end
    end
  end

  -- The custom trace request, as any LSP client can send it.
  if config.traceFunction then
    local params = { textDocument = { uri = uri }, ['function'] = config.traceFunction }
    local responses = vim.lsp.buf_request_sync(bufnr, 'mmlens/trace', params, timeout) or {}
    for _, response in pairs(responses) do
      if response.error then note_error('mmlens/trace: ' .. vim.inspect(response.error)) end
      if response.result then result.trace = response.result end
    end
  end

  -- A clean shutdown: the server must exit by itself after shutdown/exit.
  vim.lsp.stop_client(client_id)
  vim.wait(5000, server_gone, 50)
end)

if not ok then note_error('check.lua: ' .. tostring(err)) end
finish()
