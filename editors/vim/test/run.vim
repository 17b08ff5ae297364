" Headless checks of editors/vim against the fixture. Run by test/run.sh as
"   vim -Nu NONE -i NONE -es --cmd 'set rtp^=editors/vim' ... -S test/run.vim
" with g:berth_fixture and g:berth_out set. Writes one line per check,
" 'ok NAME' or 'FAIL NAME: why', to g:berth_out.
"
" Positions are found by searching the fixture for a pattern; the checked
" column is where the match starts (use \zs to move it), so the checks do
" not depend on line numbers.

let s:results = []

function! s:Record(ok, name, why) abort
  call add(s:results, (a:ok ? 'ok ' : 'FAIL ') . a:name . (a:ok ? '' : ': ' . a:why))
endfunction

function! s:Expect(name, actual, expected) abort
  call s:Record(a:actual ==# a:expected, a:name,
        \ 'expected ' . string(a:expected) . ', got ' . string(a:actual))
endfunction

" [pattern, expected syntax group]; very magic is not used, so escape . [ ] ~ * as usual.
let s:syntax_checks = [
      \ ['^\zs# editors/fixtures', 'berthComment'],
      \ ['^\zsvariable env', 'berthBlockKind'],
      \ ['^variable \zsenv', 'berthBlockLabel'],
      \ ['^variable env { \zsdefault', 'berthAttribute'],
      \ ['^variable env { default \zs=', 'berthOperator'],
      \ ['^variable env \zs{', 'berthBrace'],
      \ ['^variable env { default = \zs"dev"', 'berthQuote'],
      \ ['^variable env { default = "\zsdev"', 'berthString'],
      \ ['  default = \zs\[$', 'berthBracket'],
      \ ['"us-east-1a"\zs,$', 'berthComma'],
      \ ['"us-east-1b", \zs# trailing', 'berthComment'],
      \ ['\zs"cost-center"', 'berthQuotedKey'],
      \ ['{ \zsteam = "platform"', 'berthAttribute'],
      \ ['default = \zsnull', 'berthNull'],
      \ ['^\zsstack "', 'berthBlockKind'],
      \ ['^stack \zs"blog', 'berthQuote'],
      \ ['^stack "\zsblog', 'berthString'],
      \ ['^stack "blog-\zs${', 'berthInterpDelim'],
      \ ['^stack "blog-${\zsvar', 'berthVarBuiltin'],
      \ ['^stack "blog-${var\zs\.', 'berthMemberDot'],
      \ ['^stack "blog-${var.\zsenv', 'berthMember'],
      \ ['^stack "blog-${var.env\zs}', 'berthInterpDelim'],
      \ ['^stack "blog-${var.env}\zs"', 'berthQuote'],
      \ ['^stack "blog-${var.env}" { \zsregion', 'berthAttribute'],
      \ ['dns_hostnames = \zstrue', 'berthBoolean'],
      \ ['dns_support   = \zsfalse', 'berthBoolean'],
      \ ['^\zs# one subnet per zone', 'berthComment'],
      \ ['^  \zsfor_each = ', 'berthForEach'],
      \ ['for_each = \zsvar\.zones', 'berthVarBuiltin'],
      \ ['for_each = var\.\zszones', 'berthMember'],
      \ ['cidr     = \zscidrsubnet', 'berthFunction'],
      \ ['cidrsubnet\zs(', 'berthParen'],
      \ ['cidrsubnet(\zsvpc\.main', 'berthReference'],
      \ ['cidrsubnet(vpc\.main\.\zscidr', 'berthMember'],
      \ ['cidrsubnet(vpc\.main\.cidr\zs,', 'berthComma'],
      \ ['cidrsubnet(vpc\.main\.cidr, \zs8', 'berthNumber'],
      \ ['8, \zsindex(', 'berthFunction'],
      \ ['index(var\.zones, \zseach\.value', 'berthVarBuiltin'],
      \ ['index(var\.zones, each\.\zsvalue', 'berthMember'],
      \ ['zone     = \zseach\.value', 'berthVarBuiltin'],
      \ ['"public-${\zseach\.key', 'berthVarBuiltin'],
      \ ['"public-${each\.\zskey', 'berthMember'],
      \ ['"public-${each\.key}\zs-', 'berthString'],
      \ ['-${\zsupper(', 'berthFunction'],
      \ ['^\zsvpc main', 'berthBlockKind'],
      \ ['^vpc \zsmain', 'berthBlockLabel'],
      \ ['^\zssubnet public', 'berthBlockKind'],
      \ ['^\zsinternet_gateway main', 'berthBlockKind'],
      \ ['^internet_gateway \zsmain', 'berthBlockLabel'],
      \ ['^internet_gateway main { vpc = \zsvpc', 'berthReference'],
      \ ['^internet_gateway main { vpc = vpc\zs\.', 'berthMemberDot'],
      \ ['^internet_gateway main { vpc = vpc\.\zsmain', 'berthMember'],
      \ ['^\zsroute_table public', 'berthBlockKind'],
      \ ['^  \zsroute {', 'berthBlockKind'],
      \ ['^  route { cidr = "0\.0\.0\.0/0"  \zsgateway', 'berthAttribute'],
      \ ['^\zssecurity_group web', 'berthBlockKind'],
      \ ['^  \zsingress { port = 80', 'berthBlockKind'],
      \ ['^  ingress { port = \zs80', 'berthNumber'],
      \ ['^  ingress { port = 443\zs,', 'berthComma'],
      \ ['^  \zsegress {', 'berthBlockKind'],
      \ ['soft = \zs-1', 'berthNumber'],
      \ ['protocol = "\zs-1"', 'berthString'],
      \ ['security_group\.web } \zs# end-of-line', 'berthComment'],
      \ ['^\zsload_balancer web', 'berthBlockKind'],
      \ ['^load_balancer \zsweb', 'berthBlockLabel'],
      \ ['subnets         = \[subnet\.public\zs\["us-east-1a"\]', 'berthBracket'],
      \ ['subnets         = \[subnet\.public\["\zsus-east-1a', 'berthString'],
      \ ['"us-east-1b"\]\.\zsid\]', 'berthMember'],
      \ ['^\zstarget_group blog', 'berthBlockKind'],
      \ ['^  \zshealth_check {$', 'berthBlockKind'],
      \ ['^\zslistener http', 'berthBlockKind'],
      \ ['^  \zsload_balancer = load_balancer', 'berthAttribute'],
      \ ['^  load_balancer = \zsload_balancer\.web', 'berthReference'],
      \ ['^  \zsrule login', 'berthBlockKind'],
      \ ['^  rule \zslogin', 'berthBlockLabel'],
      \ ['^  rule login { \zspriority', 'berthAttribute'],
      \ ['path = "/api/login\*"  \zsforward', 'berthAttribute'],
      \ ['^\zscluster blog', 'berthBlockKind'],
      \ ['^\zslog_group login', 'berthBlockKind'],
      \ ['retention_days = \zs14', 'berthNumber'],
      \ ['^\zsrole task_exec', 'berthBlockKind'],
      \ ['^\zstask_definition login', 'berthBlockKind'],
      \ ['^  \zscontainer app', 'berthBlockKind'],
      \ ['^  container \zsapp', 'berthBlockLabel'],
      \ ['^    \zs# comment inside a nested block', 'berthComment'],
      \ ['login:${\zsvar\.env', 'berthVarBuiltin'],
      \ ['"echo \zs\\"hello', 'berthEscape'],
      \ ['hello\zs\\\\world', 'berthEscape'],
      \ ['world\\"\zs\\n', 'berthEscape'],
      \ ['\\n\zs\\t', 'berthEscape'],
      \ ['cost: \zs\\\$5', 'berthEscape'],
      \ ['literal \zs\$\${HOME}', 'berthInterpEscape'],
      \ ['literal \$\${\zsHOME', 'berthString'],
      \ ['^    env     = \zs{', 'berthBrace'],
      \ ['^      \zsNODE_ENV', 'berthAttribute'],
      \ ['^      \zs"x-tag"', 'berthQuotedKey'],
      \ ['"x-tag"  = \zsjoin(', 'berthFunction'],
      \ ['http://${\zsload_balancer', 'berthReference'],
      \ ['load_balancer\.web\.\zsdns_name', 'berthMember'],
      \ ['dns_name}\zs/api', 'berthString'],
      \ ['^    \zshealth_check { command', 'berthBlockKind'],
      \ ['^    \zsport_mapping', 'berthBlockKind'],
      \ ['^    \zsulimit', 'berthBlockKind'],
      \ ['^    \zsdepends_on', 'berthBlockKind'],
      \ ['^\zsservice login', 'berthBlockKind'],
      \ ['^  \zsload_balancer { target_group', 'berthBlockKind'],
      \ ['^  load_balancer { \zstarget_group', 'berthAttribute'],
      \ ['^  load_balancer { target_group = \zstarget_group', 'berthReference'],
      \ ['public_ip       = \zstrue', 'berthBoolean'],
      \ ['^  \zsautoscaling {', 'berthBlockKind'],
      \ ['^    target_tracking \zscpu', 'berthBlockLabel'],
      \ ['target = \zs70\.5', 'berthNumber'],
      \ ['target = 70\zs\.5', 'berthNumber'],
      \ ['target = 70\.\zs5', 'berthNumber'],
      \ ['lower      = \zs-0\.75', 'berthNumber'],
      \ ['lower      = -0\zs\.75', 'berthNumber'],
      \ ['lower      = -0\.7\zs5', 'berthNumber'],
      \ ['upper      = \zs0$', 'berthNumber'],
      \ ['^\zsrole task {', 'berthBlockKind'],
      \ ['assume_policy = \zs<<-EOF', 'berthHeredocDelim'],
      \ ['assume_policy = <<-\zsEOF', 'berthHeredocDelim'],
      \ ['"Action": "\zssts:AssumeRole', 'berthHeredoc'],
      \ ['^    \zs{"Version"', 'berthHeredoc'],
      \ ['"\zs#deploys"', 'berthHeredoc'],
      \ ['^  \zsEOF$', 'berthHeredocDelim'],
      \ ['^  \zspath          = "/service/"', 'berthAttribute'],
      \ ['^  \zspolicy logs', 'berthBlockKind'],
      \ ['document = \zs<<EOT', 'berthHeredocDelim'],
      \ ['^\zs{"Version"', 'berthHeredoc'],
      \ ['"Resource": "\zs${log_group', 'berthInterpDelim'],
      \ ['"Resource": "${\zslog_group', 'berthReference'],
      \ ['log_group\.login\.\zsarn}:\*', 'berthMember'],
      \ ['log_group\.login\.arn\zs}:\*', 'berthInterpDelim'],
      \ ['log_group\.login\.arn}\zs:\*', 'berthHeredoc'],
      \ ['home/\zs\$\${aws', 'berthInterpEscape'],
      \ ['home/\$\${\zsaws:username', 'berthHeredoc'],
      \ ['^    \zsEOT$', 'berthHeredocDelim'],
      \ ['^    EOT\n  \zs}', 'berthBrace'],
      \ ]

try
  execute 'edit' fnameescape(g:berth_fixture)

  " ftdetect + ftplugin + indent
  call s:Expect('filetype', &filetype, 'berth')
  call s:Expect('syntax', get(b:, 'current_syntax', ''), 'berth')
  call s:Expect('commentstring', &l:commentstring, '# %s')
  call s:Expect('comments', &l:comments, ':#,://,s1:/*,mb:*,ex:*/')
  call s:Expect('shiftwidth', &l:shiftwidth, 2)
  call s:Expect('expandtab', &l:expandtab, 1)
  call s:Expect('indentexpr', &l:indentexpr, 'GetBerthIndent(v:lnum)')
  call s:Record(exists('b:undo_ftplugin') && b:undo_ftplugin =~# 'commentstring<', 'undo_ftplugin', 'b:undo_ftplugin missing or incomplete')

  for [pat, group] in s:syntax_checks
    call cursor(1, 1)
    let [lnum, col] = searchpos(pat, 'cW')
    let name = 'syntax ' . pat
    if lnum == 0
      call s:Record(0, name, 'pattern not found in fixture')
      continue
    endif
    let actual = synIDattr(synID(lnum, col, 1), 'name')
    call s:Record(actual ==# group, name,
          \ printf('line %d col %d: expected %s, got %s', lnum, col, group, string(actual)))
  endfor

  " Token classes shared with the other grammars (fixtures/token-classes.json).
  let spec = json_decode(join(readfile(fnamemodify(g:berth_fixture, ':h') . '/token-classes.json'), "\n"))
  for [cls, text] in spec.checks
    let name = 'class ' . cls . ' ' . string(text)
    let want = get(get(spec.classes, cls, {}), 'vim', [])
    let anchored = text[0] ==# '^'
    let body = anchored ? text[1:] : text
    let at = stridx(body, '@@')
    let needle = strpart(body, 0, at) . strpart(body, at + 2)
    let found = 0
    for lnum in range(1, line('$'))
      let l = getline(lnum)
      let idx = anchored ? (strpart(l, 0, strlen(needle)) ==# needle ? 0 : -1) : stridx(l, needle)
      if idx >= 0
        let found = 1
        let actual = synIDattr(synID(lnum, idx + at + 1, 1), 'name')
        call s:Record(index(want, actual) >= 0, name,
              \ printf('line %d col %d: want one of %s, got %s', lnum, idx + at + 1, string(want), string(actual)))
        break
      endif
    endfor
    if !found
      call s:Record(0, name, 'text not found in fixture')
    endif
  endfor

  " Indentation: strip the leading whitespace of every line but a heredoc's
  " text (its indentation is part of the string, and `=` must leave it as it
  " is), reindent, compare with the fixture (indented the canonical way).
  let want = getline(1, '$')
  let text = filter(range(1, line('$')),
        \ 'index(map(synstack(v:val, 1), "synIDattr(v:val, ''name'')"), "berthHeredoc") >= 0')
  call s:Record(len(text) >= 6, 'indent: the fixture has heredoc text lines', 'found lines ' . string(text))
  for lnum in range(1, line('$'))
    if index(text, lnum) < 0
      call setline(lnum, substitute(getline(lnum), '^\s\+', '', ''))
    endif
  endfor
  silent normal! gg=G
  let got = getline(1, '$')
  let bad = []
  for i in range(len(want))
    if get(got, i, '') !=# want[i]
      call add(bad, printf('line %d: want %s got %s', i + 1, string(want[i]), string(get(got, i, ''))))
    endif
  endfor
  call s:Record(empty(bad), 'indent (gg=G reproduces the fixture)', join(bad[:4], '; '))
catch
  call s:Record(0, 'exception', v:exception . ' at ' . v:throwpoint)
endtry

call writefile(s:results, g:berth_out)
qall!
