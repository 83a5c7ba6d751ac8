# Bash completion for qmesh, the simulator of microservice topologies.
#
# make install puts this file where bash-completion loads it the first
# time qmesh is completed (.../bash-completion/completions/qmesh); without
# bash-completion, source it from ~/.bashrc. It completes the commands,
# 'help COMMAND', each command's options, scenarios (.yaml, .yml) for run,
# sweep, check and theory (and every argument of compare), topologies
# (.gml, .graphml, .xml) for graph, the kinds of graph for gen, and
# folders for plot and -o. It needs bash 4 and nothing else.
#
# The options of each command are those 'qmesh COMMAND --help' prints;
# tests/check_install.c fails when the two disagree.

# Set COMPREPLY to the folders, and the files ending in .EXT for each EXT
# given after the word, that complete the word $1; with no EXT, any file.
_qmesh_files()
{
    local word=$1 ext IFS=$'\n'

    shift
    compopt -o filenames 2>/dev/null
    if (($# == 0)); then
        COMPREPLY=($(compgen -f -- "$word"))
        return
    fi
    COMPREPLY=($(compgen -d -- "$word"))
    for ext; do
        COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$word"))
    done
}

# Set COMPREPLY to the folders that complete the word $1.
_qmesh_folders()
{
    local IFS=$'\n'

    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$1"))
}

_qmesh()
{
    local commands='run sweep compare check theory plot graph gen'
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local cmd=${COMP_WORDS[1]} opts valued kind i w skip=0 args=0 many=0

    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '-h --help -V --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands help" -- "$cur"))
        fi
        return
    fi

    # opts: every option; valued: those followed by a value; kind: what
    # the command's one argument is.
    case $cmd in
    run)
        opts='-o --output -r --replications -s --seed -j --jobs --set
              -q --quiet --all --show --plot --load -h --help'
        valued='-o --output -r --replications -s --seed -j --jobs --set
                --show --load'
        kind=scenario ;;
    sweep)
        opts='-o --output -r --replications -s --seed -j --jobs --set
              -q --quiet --axis --zip --metric --find --slo -h --help'
        valued='-o --output -r --replications -s --seed -j --jobs --set
                --axis --metric --find --slo'
        kind=scenario ;;
    compare)
        opts='-o --output -r --replications -s --seed -j --jobs --set
              --variant -q --quiet --all --show --plot -h --help'
        valued='-o --output -r --replications -s --seed -j --jobs --set
                --variant --show'
        kind=scenario many=1 ;;
    check)
        opts='--set -q --quiet -h --help'
        valued='--set'
        kind=scenario ;;
    theory)
        opts='--set -h --help'
        valued='--set'
        kind=scenario ;;
    plot)
        opts='-q --quiet -h --help'
        valued=
        kind=folder ;;
    graph)
        opts='--dot -h --help'
        valued='--dot'
        kind=topology ;;
    gen)
        opts='-n --services -s --seed --set -o --output -q --quiet -h --help'
        valued='-n --services -s --seed --set -o --output'
        kind=genkind ;;
    help | -h | --help)
        if ((COMP_CWORD == 2)); then
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return ;;
    *)
        return ;;
    esac

    # bash splits words at '=' and ':': --output=DIR arrives as the three
    # words --output, '=' and DIR, --load 0.1:0.9:0.1 as five.
    case $cur in
    =)
        cur= ;;
    :)
        return ;;
    -*)
        if [[ $prev != = ]]; then
            COMPREPLY=($(compgen -W "$opts" -- "$cur"))
            return
        fi ;;
    esac
    if [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
        [[ $prev == -* ]] || return         # the VALUE of --set KEY=VALUE
    elif [[ $prev == : ]]; then
        return
    fi
    case $prev in
    -o | --output)
        _qmesh_folders "$cur"
        return ;;
    --dot)
        _qmesh_files "$cur"
        return ;;
    -r | --replications | -s | --seed | -j | --jobs | --set | --show | --load \
        | --axis | --metric | --find | --slo | --variant | -n | --services)
        return ;;
    esac

    # Count the arguments before the word: words that are neither options
    # nor their values (the word after a valued option, '=' or ':').
    for ((i = 2; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == = || $w == : ]]; then
            skip=1
        elif ((skip)); then
            skip=0
        elif [[ $w == -* ]]; then
            [[ " $valued " == *[[:space:]]"$w"[[:space:]]* ]] && skip=1
        else
            ((args++))
        fi
    done
    if ((args > 0 && !many)); then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $kind in
    scenario) _qmesh_files "$cur" yaml yml ;;
    topology) _qmesh_files "$cur" gml graphml xml ;;
    folder) _qmesh_folders "$cur" ;;
    genkind)
        COMPREPLY=($(compgen -W 'chain tree layered alibaba meta' -- "$cur")) ;;
    esac
}

complete -F _qmesh qmesh
