import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l)
    if len(sys.argv)>2 and not any(x in d['id'] for x in sys.argv[2:]): continue
    t=d['text']; print('=====',d['id'],len(t))
    g=lambda s: t[s[0]:s[1]] if s else None
    for qq in d['quotes']:
        c=[g(x) for x in qq['contents']]
        c=[x if len(x)<90 else x[:40]+' … '+x[-40:] for x in c]
        print(f"[{qq['kind'][0]}/{qq['source_type'][:2]}] cue={g(qq['cue'])!r} src={[g(x) for x in qq['sources']]} via={[g(x) for x in qq['via']]} addr={g(qq['addressee'])!r} res={qq['speaker_resolved']!r}\n      C={c}")
