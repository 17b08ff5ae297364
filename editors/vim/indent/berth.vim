" Vim indent file for berth (.berth) files: one shiftwidth per open
" { [ ( on the previous line, one less on a line that starts with } ] ).
" A heredoc's text is left as it is (its indentation is part of the string);
" its closing marker goes under the line that opened it.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal autoindent
setlocal nosmartindent nocindent
setlocal indentexpr=GetBerthIndent(v:lnum)
setlocal indentkeys=0{,0},0],0),!^F,o,O,e

let b:undo_indent = 'setlocal autoindent< smartindent< cindent< indentexpr< indentkeys<'

if exists('*GetBerthIndent')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" The line without strings and comments, so that brackets inside them and a
" '#' inside a string do not count.
function! s:Code(lnum) abort
  let line = getline(a:lnum)
  let line = substitute(line, '"\%([^"\\]\|\\.\)*"', '""', 'g')
  return substitute(line, '#.*$', '', '')
endfunction

" [opener, marker] when line lnum is the text or the closing marker line of
" a heredoc (`<<EOT` or `<<-EOT` ending the opener line, up to a line holding
" only `EOT`), else [0, '']. Text only, so it works with syntax off (Neovim
" with tree-sitter); \C: markers are case-sensitive whatever 'ignorecase'.
function! s:Heredoc(lnum) abort
  let view = winsaveview()
  call cursor(a:lnum, 1)
  let open = search('\C<<-\=\a[[:alnum:]_-]*\s*$', 'bnW')
  let found = [0, '']
  if open > 0
    let marker = matchstr(getline(open), '<<-\=\zs\a[[:alnum:]_-]*\ze\s*$')
    call cursor(open, 1)
    if open + 1 >= a:lnum || search('\C^\s*' . marker . '\s*$', 'nW', a:lnum - 1) == 0
      let found = [open, marker]
    endif
  endif
  call winrestview(view)
  return found
endfunction

function! GetBerthIndent(lnum) abort
  let [open, marker] = s:Heredoc(a:lnum)
  if open > 0
    " The closing line goes under the opener; the text keeps its indentation.
    return getline(a:lnum) =~# '^\s*' . marker . '\s*$' ? indent(open) : -1
  endif
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
  endif
  " After a heredoc, go on from the line that opened it.
  let [open, marker] = s:Heredoc(prev)
  if open > 0
    let prev = open
  endif
  let ind = indent(prev)
  " Closers at the start of the previous line were dedented already.
  let code = substitute(s:Code(prev), '^\s*[}\])]\+', '', '')
  let opens = strlen(substitute(code, '[^{[(]', '', 'g'))
  let closes = strlen(substitute(code, '[^}\])]', '', 'g'))
  if opens > closes
    let ind += shiftwidth()
  elseif closes > opens
    let ind -= shiftwidth()
  endif
  if getline(a:lnum) =~# '^\s*[}\])]'
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
