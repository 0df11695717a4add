import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l)
    if len(sys.argv)>2 and d['id'] not in sys.argv[2:]: continue
    t=d['text']; ins={}
    for i,q in enumerate(d['quotes']):
        for s,e in q['contents']: ins.setdefault(s,[]).append(f'⟦{i}:'); ins.setdefault(e,[]).insert(0,f'⟧{i}')
        for s,e in q['sources']: ins.setdefault(s,[]).append(f'<{i}:'); ins.setdefault(e,[]).insert(0,f'>')
        if q['cue']: s,e=q['cue']; ins.setdefault(s,[]).append(f'{{{i}:'); ins.setdefault(e,[]).insert(0,'}')
    out=[]
    for k,ch in enumerate(t+' '):
        if k in ins: out.append(''.join(ins[k]))
        out.append(ch)
    print('=====',d['id']); print(''.join(out))
