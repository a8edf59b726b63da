document.getElementById('root')!.textContent = 'GridNode'
