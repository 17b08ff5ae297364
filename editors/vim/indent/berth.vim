" Vim indent file for berth (.berth) files: one shiftwidth per open
" { [ ( on the previous line, one less on a line that starts with } ] ).
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

function! GetBerthIndent(lnum) abort
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
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
