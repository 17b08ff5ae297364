" Vim syntax file
" Language:   berth (.berth infrastructure-as-code files)
" Token classes match the VS Code (TextMate) and tree-sitter grammars in
" editors/: comment, block kind, block label, attribute / map key, string
" (quoted or heredoc), escape, interpolation, number, boolean / null,
" reference, function call, operator and punctuation.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn iskeyword @,48-57,_,192-255,-
syn case match
syn sync fromstart

" Bare identifiers (lowest priority: everything below defined later wins).
syn match berthReference /\<\h[[:alnum:]_-]*\>/ contains=NONE

" References: KIND.NAME.ATTR, KIND.NAME["key"], var.NAME, each.key
syn match berthMemberDot /\./ nextgroup=berthMember
syn match berthMember /\h[[:alnum:]_-]*/ contained
syn match berthVarBuiltin /\<\%(var\|each\)\ze\s*\./

" Function calls: name(
syn match berthFunction /\<\h[[:alnum:]_-]*\ze\s*(/

" Attribute names (name = ...) and map keys; for_each is the repetition
" meta-attribute.
syn match berthAttribute /\<\h[[:alnum:]_-]*\ze\s*=[=>]\@!/
syn match berthForEach /\<for_each\ze\s*=[=>]\@!/

" Blocks: KIND [LABEL] {   (no '=': `name = {` is a map)
syn match berthBlockKind /\<\h[[:alnum:]_-]*\ze\%(\s\+\%(\h[[:alnum:]_-]*\|"\%([^"\\]\|\\.\)*"\)\)\=\s*{/ nextgroup=berthBlockLabel,berthString skipwhite
" `data KIND NAME {`: a lookup's two kind words.
syn match berthBlockKind /\<data\ze\s\+\h[[:alnum:]_-]*\s\+\h[[:alnum:]_-]*\s*{/
syn match berthBlockLabel /\h[[:alnum:]_-]*\ze\s*{/ contained

" Literals
" 80, -1, 0.5, -0.75: digits with an optional fraction (`-` is a keyword
" character here, so \< also anchors a leading minus); nothing touching
" another `.`, so `1.` and `1.2.3` are not numbers.
syn match berthNumber /\.\@1<!\<-\=\d\+\%(\.\d\+\)\=\>\.\@!/
syn keyword berthBoolean true false
syn keyword berthNull null

" Strings: escapes \" \\ \n \t \$, the literal $${, and ${ expr } interpolation.
syn region berthString matchgroup=berthQuote start=/"/ skip=/\\\\\|\\"/ end=/"/ oneline contains=berthEscape,berthEscapeError,berthInterpEscape,berthInterpolation,@Spell
syn match berthEscapeError /\\./ contained
syn match berthEscape /\\["\\nrt$]/ contained
syn match berthInterpEscape /\$\${/ contained
syn region berthInterpolation matchgroup=berthInterpDelim start=/\${/ end=/}/ contained oneline contains=@berthInterpExpr
syn cluster berthInterpExpr contains=berthRepeat,berthConditional,berthReference,berthMemberDot,berthVarBuiltin,berthFunction,berthNumber,berthBoolean,berthNull,berthString,berthBracket,berthParen,berthComma,berthOperator

" A quoted map key: "cost-center" = ...
syn match berthQuotedKey /"\%([^"\\]\|\\.\)*"\ze\s*=/ contains=berthEscape

" Operators and punctuation: `=`, and Terraform's ! * / % + - < <= > >=
" == != && || ? : and a map for expression's => ... (a `-` before a digit is
" a negative number, so a binary minus is spaced).
syn match berthOperator /=>\|\.\.\.\|=\|&&\|||\|==\|!=\|<=\|>=\|[<>*\/%!?:+]/
syn match berthOperator /-\ze\s/

" Heredocs (after the operators, so `<<` is not read as two `<`): `<<EOT` or
" `<<-EOT` ending its line, then the lines up to one holding only `EOT`
" (spaces or tabs around it). `${ }` and `$${` as in quoted strings; no
" backslash escapes, and `#` and `"` are text.
syn region berthHeredoc matchgroup=berthHeredocDelim start=/<<-\=\z(\a[[:alnum:]_-]*\)[ \t]*$/ end=/^[ \t]*\z1[ \t]*$/ contains=berthInterpEscape,berthInterpolation,@Spell

syn match berthBrace /[{}]/
syn match berthBracket /[][]/
syn match berthParen /[()]/
syn match berthComma /,/

" The words of a for expression: [for k, v in xs : v if cond].
syn keyword berthRepeat for in
syn keyword berthConditional if

" Comments (# or // to end of line, /* */ across lines) win over
" everything outside strings.
syn keyword berthTodo TODO FIXME XXX NOTE contained
syn match berthComment /#.*$/ contains=berthTodo,@Spell
syn match berthComment +//.*$+ contains=berthTodo,@Spell
syn region berthComment start=+/\*+ end=+\*/+ contains=berthTodo,@Spell

hi def link berthComment      Comment
hi def link berthTodo         Todo
hi def link berthBlockKind    Keyword
hi def link berthBlockLabel   Type
hi def link berthAttribute    Identifier
hi def link berthQuotedKey    berthAttribute
hi def link berthForEach      Repeat
hi def link berthString       String
hi def link berthQuote        berthString
hi def link berthHeredoc      berthString
hi def link berthHeredocDelim berthString
hi def link berthEscape       SpecialChar
hi def link berthInterpEscape SpecialChar
hi def link berthEscapeError  Error
hi def link berthInterpDelim  Delimiter
hi def link berthNumber       Number
hi def link berthBoolean      Boolean
hi def link berthNull         Constant
hi def link berthReference    PreProc
hi def link berthMember       berthReference
hi def link berthMemberDot    Delimiter
hi def link berthVarBuiltin   Special
hi def link berthFunction     Function
hi def link berthOperator     Operator
hi def link berthRepeat       Repeat
hi def link berthConditional  Conditional
hi def link berthBrace        Delimiter
hi def link berthBracket      Delimiter
hi def link berthParen        Delimiter
hi def link berthComma        Delimiter

let b:current_syntax = 'berth'

let &cpo = s:cpo_save
unlet s:cpo_save
