# embed.awk: turns a text file into a C string constant.
#   awk -v sym=NAME -f embed.awk FILE > FILE.c
# Used to build the shipped configuration into the programs, so that the
# built-in defaults are the files in config/, byte for byte.
BEGIN {
	printf "/* generated from a configuration file by embed.awk */\n"
	printf "extern const char %s[];\n", sym
	printf "const char %s[] =\n", sym
}
{
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	printf "\t\"%s\\n\"\n", $0
}
END {
	printf "\t\"\";\n"
}
