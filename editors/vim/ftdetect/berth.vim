" berth infrastructure-as-code files
autocmd BufRead,BufNewFile *.berth setfiletype berth
